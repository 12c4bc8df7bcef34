import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { SEAMLINE_CONFIG, type SeamlineConfig } from '../../../libs/config';
import { AppModule } from './app.module';
import { ErrorFilter } from './common/error.filter';
import { createValidationPipe } from './common/validation';

async function bootstrap(): Promise<void> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule, { bodyParser: false, bufferLogs: true });
  const config = app.get<SeamlineConfig>(SEAMLINE_CONFIG);
  app.useBodyParser('json', { limit: config.api.maxBodyBytes });
  app.setGlobalPrefix('api/v1');
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ErrorFilter());
  app.enableShutdownHooks();

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Seamline API')
      .setDescription('Customer messages in, agent decisions through durable ticket workflows.')
      .setVersion('1')
      .build(),
  );
  SwaggerModule.setup('docs', app, document);

  await app.listen(config.api.port, config.api.host);
  new Logger('Api').log(`listening on http://${config.api.host}:${config.api.port}/api/v1`);
}

bootstrap().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
