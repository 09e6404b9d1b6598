import { runApp } from '../../shared/src/service';
import { validatorApp } from './server';

void runApp(validatorApp);
