// A Go CDK app using the Go module built by jsii-pacmak: the stacks of test/languages/reference-app.ts, written in Go.
package main

import (
	"os"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsdynamodb"
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

	tableStack := awscdk.NewStack(app, jsii.String("SecureTableStack"), &awscdk.StackProps{Env: env})
	cdksecureserverless.NewSecureTable(tableStack, jsii.String("Orders"), &cdksecureserverless.SecureTableProps{
		PartitionKey: &awsdynamodb.Attribute{Name: jsii.String("id"), Type: awsdynamodb.AttributeType_STRING},
	})

	app.Synth(nil)
}
