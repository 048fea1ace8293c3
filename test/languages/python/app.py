"""A Python CDK app using the built wheel: the stacks of test/languages/reference-app.ts, written in Python."""
import sys

import aws_cdk as cdk
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_route53 as route53
from cdk_secure_serverless import (
    ApiCorsOptions,
    ApiCustomDomain,
    DeploymentStage,
    SecureTable,
    ServerlessService,
)

app = cdk.App(
    outdir=sys.argv[1],
    context={"@aws-cdk/core:validateAgainstDefaultRules": True},
)
env = cdk.Environment(account="123456789012", region="us-east-1")

# The prod stack of examples/service-app.ts.
prod = cdk.Stack(app, "orders-prod", env=env, description="orders service (prod)")
hosted_zone = route53.HostedZone.from_hosted_zone_attributes(
    prod, "Zone", hosted_zone_id="Z0123456789EXAMPLE", zone_name="example.com"
)
ServerlessService(
    prod,
    "Orders",
    service_name="orders",
    stage=DeploymentStage.PROD,
    custom_domain=ApiCustomDomain(domain_name="api.example.com", hosted_zone=hosted_zone),
    cors=ApiCorsOptions(allow_origins=["https://app.example.com"]),
    tags={"cost-center": "orders"},
)

table_stack = cdk.Stack(app, "SecureTableStack", env=env)
SecureTable(
    table_stack,
    "Orders",
    partition_key=dynamodb.Attribute(name="id", type=dynamodb.AttributeType.STRING),
)

app.synth()
