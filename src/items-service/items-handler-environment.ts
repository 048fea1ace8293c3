import { Duration } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DEFAULT_ITEMS_PATH } from '../contract/items';
import { DEFAULT_MAX_REQUEST_BODY } from '../rest-api';
import type { ServerlessServiceProps } from './serverless-service-props';

/** What the items handler is told besides the props: where its table is, which origins may call, how much to log. */
export interface ItemsHandlerContext {
  readonly tableName: string;
  readonly corsAllowedOrigins: string[];
  readonly logLevel?: lambda.ApplicationLogLevel;
}

/** The environment of the items handler: the user's variables, then the service's settings. */
export function itemsHandlerEnvironment(props: ServerlessServiceProps, context: ItemsHandlerContext): { [name: string]: string } {
  const environment: { [name: string]: string } = {
    ...props.environment,
    TABLE_NAME: context.tableName,
    SECRET_CACHE_TTL_SECONDS: String((props.secretCacheTtl ?? Duration.minutes(5)).toSeconds()),
    IDEMPOTENCY_WINDOW_SECONDS: String((props.idempotencyWindow ?? Duration.hours(1)).toSeconds()),
    MAX_BODY_BYTES: String((props.maxRequestBodySize ?? DEFAULT_MAX_REQUEST_BODY).toBytes()),
    CORS_ALLOWED_ORIGINS: context.corsAllowedOrigins.join(','),
    POWERTOOLS_SERVICE_NAME: props.serviceName,
    POWERTOOLS_METRICS_NAMESPACE: props.serviceName,
    LOG_LEVEL: context.logLevel ?? lambda.ApplicationLogLevel.INFO,
    ITEMS_PATH: props.itemsPath ?? DEFAULT_ITEMS_PATH,
  };
  if (props.itemSchema) {
    environment.ITEM_DATA_SCHEMA = JSON.stringify(props.itemSchema);
  }
  return environment;
}
