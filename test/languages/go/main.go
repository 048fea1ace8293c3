// A Go CDK app using the Go module built by jsii-pacmak: the stacks of test/languages/reference-app.ts, written in Go.
package main

import (
	"os"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsdynamodb"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsroute53"
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
	cdksecureserverless.NewServerlessService(prod, jsii.String("Orders"), &cdksecureserverless.ServerlessServiceProps{
		ServiceName:  jsii.String("orders"),
		Stage:        cdksecureserverless.DeploymentStage_PROD(),
		CustomDomain: &cdksecureserverless.ApiCustomDomain{DomainName: jsii.String("api.example.com"), HostedZone: hostedZone},
		Cors:         &cdksecureserverless.ApiCorsOptions{AllowOrigins: jsii.Strings("https://app.example.com")},
		Tags:         &map[string]*string{"cost-center": jsii.String("orders")},
	})

	tableStack := awscdk.NewStack(app, jsii.String("SecureTableStack"), &awscdk.StackProps{Env: env})
	cdksecureserverless.NewSecureTable(tableStack, jsii.String("Orders"), &cdksecureserverless.SecureTableProps{
		PartitionKey: &awsdynamodb.Attribute{Name: jsii.String("id"), Type: awsdynamodb.AttributeType_STRING},
	})

	app.Synth(nil)
}
