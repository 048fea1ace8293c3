package consumer;

import dev.cdksecureserverless.ApiCorsOptions;
import dev.cdksecureserverless.ApiCustomDomain;
import dev.cdksecureserverless.DeploymentStage;
import dev.cdksecureserverless.SecureTable;
import dev.cdksecureserverless.ServerlessService;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.dynamodb.Attribute;
import software.amazon.awscdk.services.dynamodb.AttributeType;
import software.amazon.awscdk.services.route53.HostedZone;
import software.amazon.awscdk.services.route53.HostedZoneAttributes;
import software.amazon.awscdk.services.route53.IHostedZone;

import java.util.List;
import java.util.Map;

/** A Java CDK app using the built jar: the stacks of test/languages/reference-app.ts, written in Java. */
public final class App {
    public static void main(final String[] args) {
        software.amazon.awscdk.App app = new software.amazon.awscdk.App(AppProps.builder()
                .outdir(args[0])
                .context(Map.of("@aws-cdk/core:validateAgainstDefaultRules", true))
                .build());
        Environment env = Environment.builder().account("123456789012").region("us-east-1").build();

        // The prod stack of examples/service-app.ts.
        Stack prod = new Stack(app, "orders-prod", StackProps.builder()
                .env(env)
                .description("orders service (prod)")
                .build());
        IHostedZone hostedZone = HostedZone.fromHostedZoneAttributes(prod, "Zone", HostedZoneAttributes.builder()
                .hostedZoneId("Z0123456789EXAMPLE")
                .zoneName("example.com")
                .build());
        ServerlessService.Builder.create(prod, "Orders")
                .serviceName("orders")
                .stage(DeploymentStage.PROD)
                .customDomain(ApiCustomDomain.builder().domainName("api.example.com").hostedZone(hostedZone).build())
                .cors(ApiCorsOptions.builder().allowOrigins(List.of("https://app.example.com")).build())
                .tags(Map.of("cost-center", "orders"))
                .build();

        Stack tableStack = new Stack(app, "SecureTableStack", StackProps.builder().env(env).build());
        SecureTable.Builder.create(tableStack, "Orders")
                .partitionKey(Attribute.builder().name("id").type(AttributeType.STRING).build())
                .build();

        app.synth();
    }
}
