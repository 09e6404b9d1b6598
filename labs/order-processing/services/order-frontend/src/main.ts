import { runApp } from '../../shared/src/service';
import { frontendApp } from './app';

void runApp(frontendApp);
