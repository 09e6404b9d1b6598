import { runApp } from '../../shared/src/service';
import { rabbitmqConsumerApp } from './app';

void runApp(rabbitmqConsumerApp);
