import * as lambda from 'aws-cdk-lib/aws-lambda';
import type { ResolvedServiceProps } from './items-service-defaults';

/** What the items handler is told besides the props: where its table is, which origins may call, how much to log. */
export interface ItemsHandlerContext {
  readonly tableName: string;
  readonly corsAllowedOrigins: string[];
  readonly logLevel: lambda.ApplicationLogLevel;
}

/** The environment of the items handler: the user's variables, then the service's settings. */
export function itemsHandlerEnvironment(props: ResolvedServiceProps, context: ItemsHandlerContext): { [name: string]: string } {
  const environment: { [name: string]: string } = {
    ...props.environment,
    TABLE_NAME: context.tableName,
    SECRET_CACHE_TTL_SECONDS: String(props.secretCacheTtl.toSeconds()),
    IDEMPOTENCY_WINDOW_SECONDS: String(props.idempotencyWindow.toSeconds()),
    MAX_BODY_BYTES: String(props.maxRequestBodySize.toBytes()),
    CORS_ALLOWED_ORIGINS: context.corsAllowedOrigins.join(','),
    POWERTOOLS_SERVICE_NAME: props.serviceName,
    POWERTOOLS_METRICS_NAMESPACE: props.serviceName,
    LOG_LEVEL: context.logLevel,
    ITEMS_PATH: props.itemsPath,
  };
  if (props.itemSchema) {
    environment.ITEM_DATA_SCHEMA = JSON.stringify(props.itemSchema);
  }
  return environment;
}
