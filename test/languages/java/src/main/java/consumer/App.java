package consumer;

import dev.cdksecureserverless.SecureTable;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.dynamodb.Attribute;
import software.amazon.awscdk.services.dynamodb.AttributeType;

import java.util.Map;

/** A Java CDK app using the built jar: the stacks of test/languages/reference-app.ts, written in Java. */
public final class App {
    public static void main(final String[] args) {
        software.amazon.awscdk.App app = new software.amazon.awscdk.App(AppProps.builder()
                .outdir(args[0])
                .context(Map.of("@aws-cdk/core:validateAgainstDefaultRules", true))
                .build());
        StackProps stackProps = StackProps.builder()
                .env(Environment.builder().account("123456789012").region("us-east-1").build())
                .build();

        Stack tableStack = new Stack(app, "SecureTableStack", stackProps);
        SecureTable.Builder.create(tableStack, "Orders")
                .partitionKey(Attribute.builder().name("id").type(AttributeType.STRING).build())
                .build();

        app.synth();
    }
}
