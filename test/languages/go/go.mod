// The consumer test copies this module elsewhere and points it at dist/go and the pinned aws-cdk-go version.
module consumer

go 1.25

require (
	github.com/aws/aws-cdk-go/awscdk/v2 v2.257.0
	github.com/aws/jsii-runtime-go v1.140.0
	github.com/cdk-secure-serverless/cdk-secure-serverless-go/cdksecureserverless v0.0.0
)

replace github.com/cdk-secure-serverless/cdk-secure-serverless-go/cdksecureserverless => ../../../dist/go/cdksecureserverless
