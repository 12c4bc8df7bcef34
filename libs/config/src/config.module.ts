import { Global, Module } from '@nestjs/common';
import { loadConfig, type SeamlineConfig } from './config';

export const SEAMLINE_CONFIG = Symbol('SEAMLINE_CONFIG');

/** Provides the validated config everywhere; a bad config fails here, before anything connects. */
@Global()
@Module({
  providers: [{ provide: SEAMLINE_CONFIG, useFactory: (): SeamlineConfig => loadConfig() }],
  exports: [SEAMLINE_CONFIG],
})
export class ConfigModule {}
