// A Go CDK app using the Go module built by jsii-pacmak: the stacks of test/languages/reference-app.ts, written in Go.
package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatch"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscodedeploy"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsdynamodb"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsroute53"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdk-secure-serverless/cdk-secure-serverless-go/cdksecureserverless"
)

func main() {
	defer jsii.Close()
	app := awscdk.NewApp(&awscdk.AppProps{
		Outdir:  jsii.String(os.Args[1]),
		Context: &map[string]interface{}{"@aws-cdk/core:validateAgainstDefaultRules": true},
	})
	env := &awscdk.Environment{Account: jsii.String("123456789012"), Region: jsii.String("us-east-1")}

	// The prod stack of examples/service-app.ts.
	prod := awscdk.NewStack(app, jsii.String("orders-prod"), &awscdk.StackProps{
		Env:         env,
		Description: jsii.String("orders service (prod)"),
	})
	hostedZone := awsroute53.HostedZone_FromHostedZoneAttributes(prod, jsii.String("Zone"), &awsroute53.HostedZoneAttributes{
		HostedZoneId: jsii.String("Z0123456789EXAMPLE"),
		ZoneName:     jsii.String("example.com"),
	})
	service := cdksecureserverless.NewServerlessService(prod, jsii.String("Orders"), &cdksecureserverless.ServerlessServiceProps{
		ServiceName:  jsii.String("orders"),
		Stage:        cdksecureserverless.DeploymentStage_PROD(),
		AlarmEmail:   jsii.String("orders-prod-alarms@example.com"),
		CustomDomain: &cdksecureserverless.ApiCustomDomain{DomainName: jsii.String("api.example.com"), HostedZone: hostedZone},
		Cors:         &cdksecureserverless.ApiCorsOptions{AllowOrigins: jsii.Strings("https://app.example.com")},
		Tags:         &map[string]*string{"cost-center": jsii.String("orders")},
	})

	tableStack := awscdk.NewStack(app, jsii.String("SecureTableStack"), &awscdk.StackProps{Env: env})
	table := cdksecureserverless.NewSecureTable(tableStack, jsii.String("Orders"), &cdksecureserverless.SecureTableProps{
		PartitionKey: &awsdynamodb.Attribute{Name: jsii.String("id"), Type: awsdynamodb.AttributeType_STRING},
	})

	app.Synth(nil)

	fn := service.HandlerFunction()
	api := service.Api()
	artifacts := service.Artifacts()
	protection := service.Protection()
	var openAPIFile interface{}
	if file := api.OpenApiDocumentFile(); file != nil {
		openAPIFile = filepath.Base(*file)
	}
	reads := map[string]interface{}{
		"authorizations": map[string]interface{}{
			"iam":  readAuthorization(prod, cdksecureserverless.ApiAuthorization_Iam()),
			"none": readAuthorization(prod, cdksecureserverless.ApiAuthorization_None()),
		},
		"stages": fields(prod,
			"DEV", readStage(prod, cdksecureserverless.DeploymentStage_DEV()),
			"STAGING", readStage(prod, cdksecureserverless.DeploymentStage_STAGING()),
			"PROD", readStage(prod, cdksecureserverless.DeploymentStage_PROD()),
			"custom", readStage(prod, cdksecureserverless.DeploymentStage_Custom(&cdksecureserverless.DeploymentStageProps{
				Name:    jsii.String("prod-big"),
				BasedOn: cdksecureserverless.DeploymentStage_PROD(),
				HandlerFunction: &cdksecureserverless.StageHandlerFunctionSettings{MemorySize: jsii.Number(2048)},
			})),
			"fromContext", readStage(prod, cdksecureserverless.DeploymentStage_FromContext(app)),
		),
		"service": fields(prod,
			"stage", service.Stage().Name(),
			"encryptionKey", service.EncryptionKey(),
			"secret", service.Secret(),
			"secretRotationFunction", service.SecretRotationFunction(),
			"secretRotationSchedule", service.SecretRotationSchedule(),
			"table", service.Table(),
			"artifacts", service.Artifacts(),
			"handlerFunction", service.HandlerFunction(),
			"api", service.Api(),
			"alarmTopic", service.AlarmTopic(),
			"dashboard", service.Dashboard(),
			"api5xxAlarm", service.Api5xxAlarm(),
			"protection", service.Protection(),
			"url", service.Url(),
		),
		"table": readTable(service.Table()),
		"artifacts": fields(prod,
			"bucket", artifacts.Bucket(),
			"bucketName", artifacts.BucketName(),
			"bucketArn", artifacts.BucketArn(),
			"encryptionKey", artifacts.EncryptionKey(),
			"accessLogsBucket", artifacts.AccessLogsBucket(),
			"readStatements", artifacts.Grants().ReadStatements(jsii.String("reports/*")),
			"readWriteStatements", artifacts.Grants().ReadWriteStatements(nil),
		),
		"handlerFunction": fields(prod,
			"lambdaFunction", fn.LambdaFunction(),
			"alias", fn.Alias(),
			"role", fn.Role(),
			"logGroup", fn.LogGroup(),
			"deadLetterQueue", fn.DeadLetterQueue(),
			"encryptionKey", fn.EncryptionKey(),
			"errorsAlarm", fn.ErrorsAlarm(),
			"throttlesAlarm", fn.ThrottlesAlarm(),
			"durationAlarm", fn.DurationAlarm(),
			"alarms", fn.Alarms(),
			"provisionedConcurrencyScaling", fn.ProvisionedConcurrencyScaling(),
			"deploymentGroup", fn.DeploymentGroup(),
			"grantPrincipal", fn.GrantPrincipal(),
			"metricInvocations", fn.MetricInvocations(nil),
			"metricErrors", fn.MetricErrors(nil),
			"metricThrottles", fn.MetricThrottles(nil),
			"metricDuration", fn.MetricDuration(nil),
		),
		"api": fields(prod,
			"restApi", api.RestApi(),
			"stage", api.Stage(),
			"url", api.Url(),
			"executeApiUrl", api.ExecuteApiUrl(),
			"domainUrl", api.DomainUrl(),
			"accessLogGroup", api.AccessLogGroup(),
			"executionLogGroup", api.ExecutionLogGroup(),
			"logEncryptionKey", api.LogEncryptionKey(),
			"accountCloudWatchRole", api.AccountCloudWatchRole(),
			"domain", api.Domain(),
			"certificate", api.Certificate(),
			"webAcl", api.WebAcl(),
			"webAclArn", api.WebAclArn(),
			"bodyAndParametersValidator", api.BodyAndParametersValidator(),
			"parametersValidator", api.ParametersValidator(),
			"healthMethod", api.HealthMethod(),
			"corsAllowOrigins", api.CorsAllowOrigins(),
			"openApiDocumentFile", openAPIFile,
			"metric", api.Metric(jsii.String("CacheHitCount"), nil),
			"metricCount", api.MetricCount(nil),
			"metricClientError", api.MetricClientError(nil),
			"metricServerError", api.MetricServerError(nil),
			"metricLatency", api.MetricLatency(nil),
			"metricIntegrationLatency", api.MetricIntegrationLatency(nil),
		),
		"protection": fields(protection.Stack(),
			"stack", protection.Stack(),
			"protectedResourceTypes", protection.ProtectedResourceTypes(),
			"stackPolicyFunction", protection.StackPolicyFunction(),
			"stackPolicyResource", protection.StackPolicyResource(),
			"stackPolicyRule", protection.StackPolicyRule(),
			"encryptionKey", protection.EncryptionKey(),
			"protectedLogicalIds", protection.ProtectedLogicalIds(),
		),
		"secureTable": readTable(table),
	}
	out, err := json.Marshal(reads)
	if err != nil {
		panic(err)
	}
	if err := os.WriteFile(filepath.Join(os.Args[1], "reads.json"), out, 0o644); err != nil {
		panic(err)
	}
}

// What test/languages/public-reads.ts reads, in the same normal form.
func readStage(stack awscdk.Stack, stage cdksecureserverless.DeploymentStage) interface{} {
	return fields(stack,
		"name", stage.Name(),
		"table", stage.Table(),
		"handlerFunction", stage.HandlerFunction(),
		"api", stage.Api(),
		"alarms", stage.Alarms(),
		"logRetention", stage.LogRetention(),
		"removalPolicy", stage.RemovalPolicy(),
		"stackProtection", stage.StackProtection(),
		"secretRotationPeriod", stage.SecretRotationPeriod(),
	)
}

func readAuthorization(stack awscdk.Stack, authorization cdksecureserverless.ApiAuthorization) interface{} {
	return fields(stack,
		"authorizationType", authorization.AuthorizationType(),
		"authorizationScopes", authorization.AuthorizationScopes(),
		"userPool", authorization.UserPool(),
	)
}

func readTable(table cdksecureserverless.SecureTable) interface{} {
	return fields(awscdk.Stack_Of(table),
		"dynamoTable", table.DynamoTable(),
		"tableName", table.TableName(),
		"tableArn", table.TableArn(),
		"tableStreamArn", table.TableStreamArn(),
		"encryptionKey", table.EncryptionKey(),
		"readThrottleAlarm", table.ReadThrottleAlarm(),
		"writeThrottleAlarm", table.WriteThrottleAlarm(),
		"systemErrorsAlarm", table.SystemErrorsAlarm(),
		"alarms", table.Alarms(),
		"backupPlan", table.BackupPlan(),
		"backupVault", table.BackupVault(),
		"metricReadThrottleEvents", table.MetricReadThrottleEvents(nil),
		"metricWriteThrottleEvents", table.MetricWriteThrottleEvents(nil),
		"metricConsumedReadCapacityUnits", table.MetricConsumedReadCapacityUnits(nil),
		"metricConsumedWriteCapacityUnits", table.MetricConsumedWriteCapacityUnits(nil),
		"metricSystemErrors", table.MetricSystemErrors(nil),
		"actionStatements", table.Grants().ActionStatements(jsii.String("dynamodb:GetItem"), jsii.String("dynamodb:Query")),
		"readDataStatements", table.Grants().ReadDataStatements(),
		"readWriteDataStatements", table.Grants().ReadWriteDataStatements(),
	)
}

// Name-value pairs, each value in normal form, unset ones left out.
func fields(stack awscdk.Stack, namesAndValues ...interface{}) map[string]interface{} {
	described := map[string]interface{}{}
	for i := 0; i < len(namesAndValues); i += 2 {
		if value := describe(stack, namesAndValues[i+1]); value != nil {
			described[namesAndValues[i].(string)] = value
		}
	}
	return described
}

func isNil(value interface{}) bool {
	if value == nil {
		return true
	}
	v := reflect.ValueOf(value)
	switch v.Kind() {
	case reflect.Ptr, reflect.Interface, reflect.Slice, reflect.Map:
		return v.IsNil()
	}
	return false
}

func describe(stack awscdk.Stack, value interface{}) interface{} {
	if isNil(value) {
		return nil
	}
	switch v := value.(type) {
	case awscdk.Duration:
		return map[string]interface{}{"seconds": *v.ToSeconds(nil)}
	case awscloudwatch.Metric:
		return map[string]interface{}{
			"namespace": *v.Namespace(), "metricName": *v.MetricName(), "statistic": *v.Statistic(),
			"periodSeconds": *v.Period().ToSeconds(nil),
		}
	case awscloudwatch.MathExpression:
		usingMetrics := map[string]interface{}{}
		for key, metric := range *v.UsingMetrics() {
			usingMetrics[key] = describe(stack, metric)
		}
		return map[string]interface{}{
			"expression": *v.Expression(), "periodSeconds": *v.Period().ToSeconds(nil), "usingMetrics": usingMetrics,
		}
	case awsiam.PolicyStatement:
		return stack.Resolve(v.ToStatementJson())
	case cdksecureserverless.TableCapacity:
		return fields(stack,
			"billingMode", v.BillingMode(),
			"minReadCapacity", v.MinReadCapacity(),
			"maxReadCapacity", v.MaxReadCapacity(),
			"minWriteCapacity", v.MinWriteCapacity(),
			"maxWriteCapacity", v.MaxWriteCapacity(),
			"targetUtilizationPercent", v.TargetUtilizationPercent(),
			"maxReadRequestUnits", v.MaxReadRequestUnits(),
			"maxWriteRequestUnits", v.MaxWriteRequestUnits(),
		)
	case awscodedeploy.ILambdaDeploymentConfig:
		return map[string]interface{}{"deploymentConfigName": *v.DeploymentConfigName()}
	case constructs.IConstruct:
		return map[string]interface{}{"path": *v.Node().Path()}
	case *string:
		return stack.Resolve(v)
	case *float64:
		return *v
	case *bool:
		return *v
	case string:
		return v
	case map[string]interface{}: // already in normal form
		return v
	}
	rv := reflect.ValueOf(value)
	switch {
	case rv.Kind() == reflect.String: // an enum: its value is the member's name
		if rv.String() == "" {
			return nil
		}
		return rv.String()
	case rv.Kind() == reflect.Ptr && rv.Elem().Kind() == reflect.Slice:
		return describeList(stack, rv.Elem())
	case rv.Kind() == reflect.Slice:
		return describeList(stack, rv)
	case rv.Kind() == reflect.Ptr && rv.Elem().Kind() == reflect.Struct:
		return describeStruct(stack, rv.Elem())
	}
	panic("no normal form for " + rv.Type().String())
}

func describeList(stack awscdk.Stack, list reflect.Value) interface{} {
	described := make([]interface{}, list.Len())
	for i := range described {
		described[i] = describe(stack, list.Index(i).Interface())
	}
	return described
}

// A struct of this library: its fields, named by their JSON tags (the TypeScript names).
func describeStruct(stack awscdk.Stack, value reflect.Value) interface{} {
	namesAndValues := []interface{}{}
	for i := 0; i < value.NumField(); i++ {
		name := strings.Split(value.Type().Field(i).Tag.Get("json"), ",")[0]
		if name == "" {
			panic("no normal form for " + value.Type().String())
		}
		namesAndValues = append(namesAndValues, name, value.Field(i).Interface())
	}
	return fields(stack, namesAndValues...)
}
