package consumer;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cdksecureserverless.ApiAuthorization;
import dev.cdksecureserverless.ApiCorsOptions;
import dev.cdksecureserverless.ApiCustomDomain;
import dev.cdksecureserverless.ArtifactBucket;
import dev.cdksecureserverless.DeploymentStage;
import dev.cdksecureserverless.DeploymentStageProps;
import dev.cdksecureserverless.EncryptedFunction;
import dev.cdksecureserverless.SecureTable;
import dev.cdksecureserverless.ServerlessService;
import dev.cdksecureserverless.StackProtection;
import dev.cdksecureserverless.StageHandlerFunctionSettings;
import dev.cdksecureserverless.TableCapacity;
import dev.cdksecureserverless.ValidatedRestApi;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.MathExpression;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.codedeploy.ILambdaDeploymentConfig;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.dynamodb.Attribute;
import software.amazon.awscdk.services.dynamodb.AttributeType;
import software.amazon.awscdk.services.route53.HostedZone;
import software.amazon.awscdk.services.route53.HostedZoneAttributes;
import software.amazon.awscdk.services.route53.IHostedZone;

import java.io.File;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.constructs.IConstruct;

/** A Java CDK app using the built jar: the stacks of test/languages/reference-app.ts, written in Java. */
public final class App {
    public static void main(final String[] args) throws IOException {
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
        ServerlessService service = ServerlessService.Builder.create(prod, "Orders")
                .serviceName("orders")
                .stage(DeploymentStage.PROD)
                .alarmEmail("orders-prod-alarms@example.com")
                .customDomain(ApiCustomDomain.builder().domainName("api.example.com").hostedZone(hostedZone).build())
                .cors(ApiCorsOptions.builder().allowOrigins(List.of("https://app.example.com")).build())
                .tags(Map.of("cost-center", "orders"))
                .build();

        Stack tableStack = new Stack(app, "SecureTableStack", StackProps.builder().env(env).build());
        SecureTable table = SecureTable.Builder.create(tableStack, "Orders")
                .partitionKey(Attribute.builder().name("id").type(AttributeType.STRING).build())
                .build();

        app.synth();

        Map<String, Object> reads = new LinkedHashMap<>();
        reads.put("stages", fields(prod,
                "DEV", readStage(prod, DeploymentStage.DEV),
                "STAGING", readStage(prod, DeploymentStage.STAGING),
                "PROD", readStage(prod, DeploymentStage.PROD),
                "custom", readStage(prod, DeploymentStage.custom(DeploymentStageProps.builder()
                        .name("prod-big").basedOn(DeploymentStage.PROD)
                        .handlerFunction(StageHandlerFunctionSettings.builder().memorySize(2048).build()).build())),
                "fromContext", readStage(prod, DeploymentStage.fromContext(app))));
        reads.put("authorizations", Map.of(
                "iam", readAuthorization(prod, ApiAuthorization.iam()),
                "none", readAuthorization(prod, ApiAuthorization.none())));
        reads.put("service", fields(prod,
                "stage", service.getStage().getName(),
                "encryptionKey", service.getEncryptionKey(),
                "secret", service.getSecret(),
                "secretRotationFunction", service.getSecretRotationFunction(),
                "secretRotationSchedule", service.getSecretRotationSchedule(),
                "table", service.getTable(),
                "artifacts", service.getArtifacts(),
                "handlerFunction", service.getHandlerFunction(),
                "api", service.getApi(),
                "alarmTopic", service.getAlarmTopic(),
                "dashboard", service.getDashboard(),
                "api5xxAlarm", service.getApi5xxAlarm(),
                "protection", service.getProtection(),
                "url", service.getUrl()));
        reads.put("table", readTable(service.getTable()));
        ArtifactBucket artifacts = service.getArtifacts();
        reads.put("artifacts", fields(prod,
                "bucket", artifacts.getBucket(),
                "bucketName", artifacts.getBucketName(),
                "bucketArn", artifacts.getBucketArn(),
                "encryptionKey", artifacts.getEncryptionKey(),
                "accessLogsBucket", artifacts.getAccessLogsBucket(),
                "readStatements", artifacts.getGrants().readStatements("reports/*"),
                "readWriteStatements", artifacts.getGrants().readWriteStatements()));
        EncryptedFunction fn = service.getHandlerFunction();
        reads.put("handlerFunction", fields(prod,
                "lambdaFunction", fn.getLambdaFunction(),
                "alias", fn.getAlias(),
                "role", fn.getRole(),
                "logGroup", fn.getLogGroup(),
                "deadLetterQueue", fn.getDeadLetterQueue(),
                "encryptionKey", fn.getEncryptionKey(),
                "errorsAlarm", fn.getErrorsAlarm(),
                "throttlesAlarm", fn.getThrottlesAlarm(),
                "durationAlarm", fn.getDurationAlarm(),
                "alarms", fn.getAlarms(),
                "provisionedConcurrencyScaling", fn.getProvisionedConcurrencyScaling(),
                "deploymentGroup", fn.getDeploymentGroup(),
                "grantPrincipal", fn.getGrantPrincipal(),
                "metricInvocations", fn.metricInvocations(),
                "metricErrors", fn.metricErrors(),
                "metricThrottles", fn.metricThrottles(),
                "metricDuration", fn.metricDuration()));
        ValidatedRestApi api = service.getApi();
        String openApiFile = api.getOpenApiDocumentFile();
        reads.put("api", fields(prod,
                "restApi", api.getRestApi(),
                "stage", api.getStage(),
                "url", api.getUrl(),
                "executeApiUrl", api.getExecuteApiUrl(),
                "domainUrl", api.getDomainUrl(),
                "accessLogGroup", api.getAccessLogGroup(),
                "executionLogGroup", api.getExecutionLogGroup(),
                "logEncryptionKey", api.getLogEncryptionKey(),
                "accountCloudWatchRole", api.getAccountCloudWatchRole(),
                "domain", api.getDomain(),
                "certificate", api.getCertificate(),
                "webAcl", api.getWebAcl(),
                "webAclArn", api.getWebAclArn(),
                "bodyAndParametersValidator", api.getBodyAndParametersValidator(),
                "parametersValidator", api.getParametersValidator(),
                "healthMethod", api.getHealthMethod(),
                "corsAllowOrigins", api.getCorsAllowOrigins(),
                "openApiDocumentFile", openApiFile == null ? null : Paths.get(openApiFile).getFileName().toString(),
                "metric", api.metric("CacheHitCount"),
                "metricCount", api.metricCount(),
                "metricClientError", api.metricClientError(),
                "metricServerError", api.metricServerError(),
                "metricLatency", api.metricLatency(),
                "metricIntegrationLatency", api.metricIntegrationLatency()));
        StackProtection protection = service.getProtection();
        reads.put("protection", fields(protection.getStack(),
                "stack", protection.getStack(),
                "protectedResourceTypes", protection.getProtectedResourceTypes(),
                "stackPolicyFunction", protection.getStackPolicyFunction(),
                "stackPolicyResource", protection.getStackPolicyResource(),
                "stackPolicyRule", protection.getStackPolicyRule(),
                "encryptionKey", protection.getEncryptionKey(),
                "protectedLogicalIds", protection.protectedLogicalIds()));
        reads.put("secureTable", readTable(table));
        new ObjectMapper().writeValue(new File(args[0], "reads.json"), reads);
    }

    // What test/languages/public-reads.ts reads, in the same normal form.
    private static Object readStage(final Stack stack, final DeploymentStage stage) {
        return fields(stack,
                "name", stage.getName(),
                "table", stage.getTable(),
                "handlerFunction", stage.getHandlerFunction(),
                "api", stage.getApi(),
                "alarms", stage.getAlarms(),
                "logRetention", stage.getLogRetention(),
                "removalPolicy", stage.getRemovalPolicy(),
                "stackProtection", stage.getStackProtection(),
                "secretRotationPeriod", stage.getSecretRotationPeriod());
    }

    private static Object readAuthorization(final Stack stack, final ApiAuthorization authorization) {
        return fields(stack,
                "authorizationType", authorization.getAuthorizationType(),
                "authorizationScopes", authorization.getAuthorizationScopes(),
                "userPool", authorization.getUserPool());
    }

    private static Object readTable(final SecureTable table) {
        return fields(Stack.of(table),
                "dynamoTable", table.getDynamoTable(),
                "tableName", table.getTableName(),
                "tableArn", table.getTableArn(),
                "tableStreamArn", table.getTableStreamArn(),
                "encryptionKey", table.getEncryptionKey(),
                "readThrottleAlarm", table.getReadThrottleAlarm(),
                "writeThrottleAlarm", table.getWriteThrottleAlarm(),
                "systemErrorsAlarm", table.getSystemErrorsAlarm(),
                "alarms", table.getAlarms(),
                "backupPlan", table.getBackupPlan(),
                "backupVault", table.getBackupVault(),
                "metricReadThrottleEvents", table.metricReadThrottleEvents(),
                "metricWriteThrottleEvents", table.metricWriteThrottleEvents(),
                "metricConsumedReadCapacityUnits", table.metricConsumedReadCapacityUnits(),
                "metricConsumedWriteCapacityUnits", table.metricConsumedWriteCapacityUnits(),
                "metricSystemErrors", table.metricSystemErrors(),
                "actionStatements", table.getGrants().actionStatements("dynamodb:GetItem", "dynamodb:Query"),
                "readDataStatements", table.getGrants().readDataStatements(),
                "readWriteDataStatements", table.getGrants().readWriteDataStatements());
    }

    /** Name-value pairs, each value in normal form, unset ones left out. */
    private static Map<String, Object> fields(final Stack stack, final Object... namesAndValues) {
        Map<String, Object> described = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            Object value = describe(stack, namesAndValues[i + 1]);
            if (value != null) described.put((String) namesAndValues[i], value);
        }
        return described;
    }

    private static Object describe(final Stack stack, final Object value) {
        if (value == null) return null;
        if (value instanceof Duration duration) return Map.of("seconds", duration.toSeconds());
        if (value instanceof Metric metric) {
            return Map.of("namespace", metric.getNamespace(), "metricName", metric.getMetricName(),
                    "statistic", metric.getStatistic(), "periodSeconds", metric.getPeriod().toSeconds());
        }
        if (value instanceof MathExpression expression) {
            Map<String, Object> usingMetrics = new LinkedHashMap<>();
            for (Map.Entry<String, IMetric> entry : expression.getUsingMetrics().entrySet()) {
                usingMetrics.put(entry.getKey(), describe(stack, entry.getValue()));
            }
            return Map.of("expression", expression.getExpression(), "periodSeconds", expression.getPeriod().toSeconds(),
                    "usingMetrics", usingMetrics);
        }
        if (value instanceof PolicyStatement statement) return stack.resolve(statement.toStatementJson());
        if (value instanceof TableCapacity capacity) {
            return fields(stack,
                    "billingMode", capacity.getBillingMode(),
                    "minReadCapacity", capacity.getMinReadCapacity(),
                    "maxReadCapacity", capacity.getMaxReadCapacity(),
                    "minWriteCapacity", capacity.getMinWriteCapacity(),
                    "maxWriteCapacity", capacity.getMaxWriteCapacity(),
                    "targetUtilizationPercent", capacity.getTargetUtilizationPercent(),
                    "maxReadRequestUnits", capacity.getMaxReadRequestUnits(),
                    "maxWriteRequestUnits", capacity.getMaxWriteRequestUnits());
        }
        if (value instanceof ILambdaDeploymentConfig config) return Map.of("deploymentConfigName", config.getDeploymentConfigName());
        if (value instanceof IConstruct construct) return Map.of("path", construct.getNode().getPath());
        if (value instanceof Enum<?> member) return member.name();
        if (value instanceof Number || value instanceof Boolean || value instanceof Map<?, ?>) return value; // a Map: already in normal form
        if (value instanceof String string) return stack.resolve(string);
        if (value instanceof List<?> list) {
            List<Object> described = new ArrayList<>();
            for (Object item : list) described.add(describe(stack, item));
            return described;
        }
        return describeStruct(stack, value);
    }

    /** A struct of this library: its getters, named as in TypeScript. */
    private static Object describeStruct(final Stack stack, final Object value) {
        for (Class<?> type : value.getClass().getInterfaces()) {
            if (!type.getPackageName().equals("dev.cdksecureserverless")) continue;
            List<Object> namesAndValues = new ArrayList<>();
            for (Method getter : type.getMethods()) {
                String name = getter.getName();
                if (!name.startsWith("get") || getter.getParameterCount() != 0) continue;
                try {
                    namesAndValues.add(Character.toLowerCase(name.charAt(3)) + name.substring(4));
                    namesAndValues.add(getter.invoke(value));
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            }
            return fields(stack, namesAndValues.toArray());
        }
        throw new IllegalArgumentException("no normal form for " + value);
    }
}
