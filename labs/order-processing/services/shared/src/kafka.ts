/**
 * Kafka as both the front end (producer) and the Kafka consumer use it: the same variables, the same
 * kafkajs client settings, and kafkajs's own logs turned into our JSON lines.
 */
import { type KafkaConfig, type logCreator, logLevel as KafkaLogLevel } from 'kafkajs';
import { hostPortList, name } from './env';
import type { Logger, LogLevel } from './log';

// Kafka's legal topic and group names: letters, digits, '.', '_' and '-', up to 249 characters.
const KAFKA_NAME = /^[A-Za-z0-9._-]{1,249}$/;
const KAFKA_NAME_RULE = "letters, digits, '.', '_' and '-', up to 249 characters";

export const KAFKA_ENV = {
  brokers: hostPortList('KAFKA_BOOTSTRAP_SERVERS', 'kafka:9092'),
  topic: name('KAFKA_TOPIC', KAFKA_NAME, `a topic name (${KAFKA_NAME_RULE})`, 'orders'),
};

export const KAFKA_GROUP_ID = name('KAFKA_GROUP_ID', KAFKA_NAME, `a consumer group id (${KAFKA_NAME_RULE})`, 'order-analytics');

const TO_KAFKAJS: Record<LogLevel, KafkaLogLevel> = {
  debug: KafkaLogLevel.DEBUG,
  info: KafkaLogLevel.INFO,
  warn: KafkaLogLevel.WARN,
  error: KafkaLogLevel.ERROR,
};

/** kafkajs's log entries as JSON lines of ours, with kafkajs's namespace (Producer, Consumer, Connection...). */
export function kafkaLogCreator(log: Logger): logCreator {
  return () =>
    ({ namespace, level, log: entry }) => {
      // Our line has its own time; kafkajs's timestamp and logger name would only repeat it, and its
      // stack traces (of connection errors it retries) would fill the log.
      const { message, ...fields } = entry as { message: string; timestamp?: string; logger?: string; stack?: string };
      delete fields.timestamp;
      delete fields.logger;
      delete fields.stack;
      const line = { kafkajs: namespace, ...fields };
      if (level <= KafkaLogLevel.ERROR) log.error(message, line);
      else if (level === KafkaLogLevel.WARN) log.warn(message, line);
      else if (level === KafkaLogLevel.INFO) log.info(message, line);
      else log.debug(message, line);
    };
}

/**
 * The kafkajs client settings of both apps. Timeouts are short enough that a request to a broker
 * that is down fails (and the front end answers 503) well inside an HTTP client's patience.
 */
export function kafkaConfig(clientId: string, brokers: readonly string[], level: LogLevel, log: Logger): KafkaConfig {
  return {
    clientId,
    brokers: [...brokers],
    connectionTimeout: 3_000,
    requestTimeout: 10_000,
    retry: { initialRetryTime: 300, maxRetryTime: 5_000, retries: 5 },
    logLevel: TO_KAFKAJS[level],
    logCreator: kafkaLogCreator(log),
  };
}
