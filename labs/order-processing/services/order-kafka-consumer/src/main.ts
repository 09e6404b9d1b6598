import { runApp } from '../../shared/src/service';
import { kafkaConsumerApp } from './app';

void runApp(kafkaConsumerApp);
