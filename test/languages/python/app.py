"""A Python CDK app using the built wheel: the stacks of test/languages/reference-app.ts, written in Python."""
import enum
import json
import os
import sys

import aws_cdk as cdk
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_iam as iam
from aws_cdk import aws_route53 as route53
from cdk_secure_serverless import (
    ApiAuthorization,
    ApiCorsOptions,
    ApiCustomDomain,
    DeploymentStage,
    SecureTable,
    ServerlessService,
    StageHandlerFunctionSettings,
    TableCapacity,
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
service = ServerlessService(
    prod,
    "Orders",
    service_name="orders",
    stage=DeploymentStage.PROD,
    alarm_email="orders-prod-alarms@example.com",
    custom_domain=ApiCustomDomain(domain_name="api.example.com", hosted_zone=hosted_zone),
    cors=ApiCorsOptions(allow_origins=["https://app.example.com"]),
    tags={"cost-center": "orders"},
)

table_stack = cdk.Stack(app, "SecureTableStack", env=env)
table = SecureTable(
    table_stack,
    "Orders",
    partition_key=dynamodb.Attribute(name="id", type=dynamodb.AttributeType.STRING),
)

app.synth()


# What test/languages/public-reads.ts reads, in the same normal form, written to reads.json.
def camel(name):
    head, *rest = name.split("_")
    return head + "".join(part.capitalize() for part in rest)


def describe(stack, value):
    if value is None:
        return None
    if isinstance(value, cdk.Duration):
        return {"seconds": value.to_seconds()}
    if isinstance(value, cloudwatch.Metric):
        return {"namespace": value.namespace, "metricName": value.metric_name, "statistic": value.statistic,
                "periodSeconds": value.period.to_seconds()}
    if isinstance(value, cloudwatch.MathExpression):
        return {"expression": value.expression, "periodSeconds": value.period.to_seconds(),
                "usingMetrics": {key: describe(stack, metric) for key, metric in value.using_metrics.items()}}
    if isinstance(value, iam.PolicyStatement):
        return stack.resolve(value.to_statement_json())
    if isinstance(value, TableCapacity):
        return fields(stack, {name: getattr(value, name) for name in (
            "billing_mode", "min_read_capacity", "max_read_capacity", "min_write_capacity", "max_write_capacity",
            "target_utilization_percent", "max_read_request_units", "max_write_request_units")})
    if hasattr(value, "deployment_config_name"):
        return {"deploymentConfigName": value.deployment_config_name}
    if hasattr(value, "node"):
        return {"path": value.node.path}
    if isinstance(value, enum.Enum):
        return value.name
    if isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, str):
        return stack.resolve(value)
    if isinstance(value, list):
        return [describe(stack, item) for item in value]
    if hasattr(value, "_values"):
        return fields(stack, value._values)
    raise TypeError(f"no normal form for {value!r}")


def fields(stack, values):
    described = {camel(name): describe(stack, field) for name, field in values.items()}
    return {name: field for name, field in described.items() if field is not None}


def read_stage(stage):
    return fields(prod, {
        "name": stage.name, "table": stage.table, "handler_function": stage.handler_function, "api": stage.api, "alarms": stage.alarms,
        "log_retention": stage.log_retention, "removal_policy": stage.removal_policy,
        "stack_protection": stage.stack_protection, "secret_rotation_period": stage.secret_rotation_period,
    })


def read_authorization(authorization):
    return fields(prod, {
        "authorization_type": authorization.authorization_type,
        "authorization_scopes": authorization.authorization_scopes,
        "user_pool": authorization.user_pool,
    })


def read_table(secure_table):
    return fields(cdk.Stack.of(secure_table), {
        "dynamo_table": secure_table.dynamo_table,
        "table_name": secure_table.table_name,
        "table_arn": secure_table.table_arn,
        "table_stream_arn": secure_table.table_stream_arn,
        "encryption_key": secure_table.encryption_key,
        "read_throttle_alarm": secure_table.read_throttle_alarm,
        "write_throttle_alarm": secure_table.write_throttle_alarm,
        "system_errors_alarm": secure_table.system_errors_alarm,
        "alarms": secure_table.alarms,
        "backup_plan": secure_table.backup_plan,
        "backup_vault": secure_table.backup_vault,
        "metric_read_throttle_events": secure_table.metric_read_throttle_events(),
        "metric_write_throttle_events": secure_table.metric_write_throttle_events(),
        "metric_consumed_read_capacity_units": secure_table.metric_consumed_read_capacity_units(),
        "metric_consumed_write_capacity_units": secure_table.metric_consumed_write_capacity_units(),
        "metric_system_errors": secure_table.metric_system_errors(),
        "action_statements": secure_table.grants.action_statements("dynamodb:GetItem", "dynamodb:Query"),
        "read_data_statements": secure_table.grants.read_data_statements(),
        "read_write_data_statements": secure_table.grants.read_write_data_statements(),
    })


fn = service.handler_function
api = service.api
protection = service.protection
reads = {
    "stages": {
        "DEV": read_stage(DeploymentStage.DEV),
        "STAGING": read_stage(DeploymentStage.STAGING),
        "PROD": read_stage(DeploymentStage.PROD),
        "custom": read_stage(DeploymentStage.custom(
            name="prod-big", based_on=DeploymentStage.PROD, handler_function=StageHandlerFunctionSettings(memory_size=2048))),
        "fromContext": read_stage(DeploymentStage.from_context(app)),
    },
    "authorizations": {"iam": read_authorization(ApiAuthorization.iam()), "none": read_authorization(ApiAuthorization.none())},
    "service": fields(prod, {
        "stage": service.stage.name,
        "encryption_key": service.encryption_key,
        "secret": service.secret,
        "secret_rotation_function": service.secret_rotation_function,
        "secret_rotation_schedule": service.secret_rotation_schedule,
        "table": service.table,
        "artifacts": service.artifacts,
        "handler_function": service.handler_function,
        "api": service.api,
        "alarm_topic": service.alarm_topic,
        "dashboard": service.dashboard,
        "api5xx_alarm": service.api5xx_alarm,
        "protection": service.protection,
        "url": service.url,
    }),
    "table": read_table(service.table),
    "artifacts": fields(prod, {
        "bucket": service.artifacts.bucket,
        "bucket_name": service.artifacts.bucket_name,
        "bucket_arn": service.artifacts.bucket_arn,
        "encryption_key": service.artifacts.encryption_key,
        "access_logs_bucket": service.artifacts.access_logs_bucket,
        "read_statements": service.artifacts.grants.read_statements("reports/*"),
        "read_write_statements": service.artifacts.grants.read_write_statements(),
    }),
    "handlerFunction": fields(prod, {
        "lambda_function": fn.lambda_function,
        "alias": fn.alias,
        "role": fn.role,
        "log_group": fn.log_group,
        "dead_letter_queue": fn.dead_letter_queue,
        "encryption_key": fn.encryption_key,
        "errors_alarm": fn.errors_alarm,
        "throttles_alarm": fn.throttles_alarm,
        "duration_alarm": fn.duration_alarm,
        "alarms": fn.alarms,
        "provisioned_concurrency_scaling": fn.provisioned_concurrency_scaling,
        "deployment_group": fn.deployment_group,
        "grant_principal": fn.grant_principal,
        "metric_invocations": fn.metric_invocations(),
        "metric_errors": fn.metric_errors(),
        "metric_throttles": fn.metric_throttles(),
        "metric_duration": fn.metric_duration(),
    }),
    "api": fields(prod, {
        "rest_api": api.rest_api,
        "stage": api.stage,
        "url": api.url,
        "execute_api_url": api.execute_api_url,
        "domain_url": api.domain_url,
        "access_log_group": api.access_log_group,
        "execution_log_group": api.execution_log_group,
        "log_encryption_key": api.log_encryption_key,
        "account_cloud_watch_role": api.account_cloud_watch_role,
        "domain": api.domain,
        "certificate": api.certificate,
        "web_acl": api.web_acl,
        "web_acl_arn": api.web_acl_arn,
        "body_and_parameters_validator": api.body_and_parameters_validator,
        "parameters_validator": api.parameters_validator,
        "health_method": api.health_method,
        "cors_allow_origins": api.cors_allow_origins,
        "open_api_document_file": os.path.basename(api.open_api_document_file) if api.open_api_document_file else None,
        "metric": api.metric("CacheHitCount"),
        "metric_count": api.metric_count(),
        "metric_client_error": api.metric_client_error(),
        "metric_server_error": api.metric_server_error(),
        "metric_latency": api.metric_latency(),
        "metric_integration_latency": api.metric_integration_latency(),
    }),
    "protection": fields(protection.stack, {
        "stack": protection.stack,
        "protected_resource_types": protection.protected_resource_types,
        "stack_policy_function": protection.stack_policy_function,
        "stack_policy_resource": protection.stack_policy_resource,
        "stack_policy_rule": protection.stack_policy_rule,
        "encryption_key": protection.encryption_key,
        "protected_logical_ids": protection.protected_logical_ids(),
    }),
    "secureTable": read_table(table),
}
with open(os.path.join(sys.argv[1], "reads.json"), "w", encoding="utf-8") as out:
    json.dump(reads, out)
