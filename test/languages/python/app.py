"""A Python CDK app using the built wheel: the stacks of test/languages/reference-app.ts, written in Python."""
import sys

import aws_cdk as cdk
from aws_cdk import aws_dynamodb as dynamodb
from cdk_secure_serverless import SecureTable

app = cdk.App(
    outdir=sys.argv[1],
    context={"@aws-cdk/core:validateAgainstDefaultRules": True},
)
env = cdk.Environment(account="123456789012", region="us-east-1")

table_stack = cdk.Stack(app, "SecureTableStack", env=env)
SecureTable(
    table_stack,
    "Orders",
    partition_key=dynamodb.Attribute(name="id", type=dynamodb.AttributeType.STRING),
)

app.synth()
