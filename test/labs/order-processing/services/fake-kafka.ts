/**
 * An in-process stand-in for kafkajs's `Kafka` (no Kafka broker is packaged for these machines): the
 * subset of the producer and consumer API the apps use, with kafkajs's event names and payloads, over
 * one in-memory partition per topic with committed offsets per consumer group. It behaves as Kafka
 * does for what the tests prove: a group reads from its committed offset, an offset is committed only
 * after `eachMessage` resolved, and a consumer that dies before that leaves the message to be read again.
 */
import { EventEmitter } from 'node:events';
import type { ConsumerConfig, ConsumerRunConfig, ConsumerSubscribeTopics, EachMessagePayload, IHeaders, ProducerConfig, ProducerRecord } from 'kafkajs';

interface Stored {
  readonly key: string | null;
  readonly value: string;
  readonly headers: IHeaders;
}

// kafkajs's instrumentation event names (src/producer/instrumentationEvents.js, src/consumer/instrumentationEvents.js).
const PRODUCER_EVENTS = { CONNECT: 'producer.connect', DISCONNECT: 'producer.disconnect' };
const CONSUMER_EVENTS = { GROUP_JOIN: 'consumer.group_join', CRASH: 'consumer.crash', STOP: 'consumer.stop', CONNECT: 'consumer.connect', DISCONNECT: 'consumer.disconnect' };

const unreachable = () => Object.assign(new Error('Connection error: connect ECONNREFUSED 127.0.0.1:9092'), { name: 'KafkaJSConnectionError', retriable: true });

export class FakeKafka {
  readonly topics = new Map<string, Stored[]>();
  /** Next offset to read, per `group/topic`. */
  readonly committed = new Map<string, number>();
  readonly producerConfigs: ProducerConfig[] = [];
  readonly consumerConfigs: ConsumerConfig[] = [];
  readonly consumers: FakeConsumer[] = [];
  readonly records: ProducerRecord[] = [];
  /** When false, connect and send fail as kafkajs does when no broker answers. */
  reachable = true;
  private readonly appended = new EventEmitter();

  producer(config: ProducerConfig = {}): FakeProducer {
    this.producerConfigs.push(config);
    return new FakeProducer(this);
  }

  consumer(config: ConsumerConfig): FakeConsumer {
    this.consumerConfigs.push(config);
    const consumer = new FakeConsumer(this, config.groupId);
    this.consumers.push(consumer);
    return consumer;
  }

  append(topic: string, message: Stored): void {
    this.topics.set(topic, [...(this.topics.get(topic) ?? []), message]);
    this.appended.emit('message');
  }

  /** Resolves when a message is appended or `signal` aborts. */
  waitForMessage(signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        this.appended.off('message', done);
        signal.removeEventListener('abort', done);
        resolve();
      };
      this.appended.on('message', done);
      signal.addEventListener('abort', done);
    });
  }
}

class Instrumented {
  private readonly emitter = new EventEmitter();

  on(event: string, listener: (event: { type: string; payload: unknown }) => void): () => void {
    this.emitter.on(event, listener);
    return () => this.emitter.off(event, listener);
  }

  protected emit(type: string, payload: unknown = {}): void {
    this.emitter.emit(type, { id: 0, type, timestamp: Date.now(), payload });
  }
}

export class FakeProducer extends Instrumented {
  readonly events = PRODUCER_EVENTS;
  connected = false;

  constructor(private readonly kafka: FakeKafka) {
    super();
  }

  async connect(): Promise<void> {
    if (!this.kafka.reachable) throw unreachable();
    this.connected = true;
    this.emit(PRODUCER_EVENTS.CONNECT);
  }

  async send(record: ProducerRecord): Promise<unknown[]> {
    if (!this.connected) throw new Error('The producer is disconnected');
    if (!this.kafka.reachable) throw unreachable();
    this.kafka.records.push(record);
    for (const m of record.messages) this.kafka.append(record.topic, { key: m.key === undefined || m.key === null ? null : String(m.key), value: String(m.value), headers: m.headers ?? {} });
    return [];
  }

  async disconnect(): Promise<void> {
    this.connected = false;
    this.emit(PRODUCER_EVENTS.DISCONNECT);
  }
}

export class FakeConsumer extends Instrumented {
  readonly events = CONSUMER_EVENTS;
  private topics: string[] = [];
  private fromBeginning = false;
  private stopping?: AbortController;
  private loop?: Promise<void>;
  private killed = false;

  constructor(private readonly kafka: FakeKafka, private readonly groupId: string) {
    super();
  }

  async connect(): Promise<void> {
    if (!this.kafka.reachable) throw unreachable();
    this.emit(CONSUMER_EVENTS.CONNECT);
  }

  async subscribe(subscription: ConsumerSubscribeTopics): Promise<void> {
    this.topics = subscription.topics.map(String);
    this.fromBeginning = subscription.fromBeginning ?? false;
  }

  async run(config: ConsumerRunConfig): Promise<void> {
    const stopping = new AbortController();
    this.stopping = stopping;
    this.emit(CONSUMER_EVENTS.GROUP_JOIN, { groupId: this.groupId, memberId: `${this.groupId}-member`, isLeader: true });
    this.loop = this.consume(config, stopping.signal);
  }

  /** Graceful: finishes the message in hand, commits it, stops. */
  async disconnect(): Promise<void> {
    this.stopping?.abort();
    await this.loop;
    this.emit(CONSUMER_EVENTS.STOP);
    this.emit(CONSUMER_EVENTS.DISCONNECT);
  }

  /** The process dies: nothing more is committed, not even the message in hand. */
  kill(): void {
    this.killed = true;
    this.stopping?.abort();
  }

  private async consume(config: ConsumerRunConfig, signal: AbortSignal): Promise<void> {
    const topic = this.topics[0];
    const key = `${this.groupId}/${topic}`;
    // A group with no committed offset starts at the oldest message only with fromBeginning (kafkajs's default is the newest).
    if (!this.kafka.committed.has(key) && !this.fromBeginning) this.kafka.committed.set(key, this.kafka.topics.get(topic)?.length ?? 0);
    while (!signal.aborted) {
      const offset = this.kafka.committed.get(key) ?? 0;
      const stored = this.kafka.topics.get(topic)?.[offset];
      if (!stored) {
        await this.kafka.waitForMessage(signal);
        continue;
      }
      const payload = {
        topic,
        partition: 0,
        message: { key: stored.key === null ? null : Buffer.from(stored.key), value: Buffer.from(stored.value), headers: stored.headers, offset: String(offset), timestamp: String(Date.now()), attributes: 0 },
        heartbeat: async () => undefined,
        pause: () => () => undefined,
      } as EachMessagePayload;
      try {
        await config.eachMessage!(payload);
      } catch (error) {
        // kafkajs: the consumer crashes, restarts, and reads again from the last committed offset.
        this.emit(CONSUMER_EVENTS.CRASH, { error, groupId: this.groupId, restart: true });
        continue;
      }
      if (this.killed) return;
      this.kafka.committed.set(key, offset + 1);
    }
  }
}
