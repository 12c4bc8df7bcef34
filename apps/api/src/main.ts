import 'reflect-metadata';
import type { IncomingMessage } from 'node:http';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import { Logger as PinoNestLogger } from 'nestjs-pino';
import { SEAMLINE_CONFIG, type SeamlineConfig } from '../../../libs/config';
import { httpTracingMiddleware, SeamlineMetrics, TRACING } from '../../../libs/observability';
import { AppModule } from './app.module';
import { codecCors } from './codec/codec-cors';
import { ErrorFilter } from './common/error.filter';
import { methodNotAllowed } from './common/method-not-allowed';
import { nulFreeReviver } from './common/nul';
import { createOpenApiDocument } from './common/openapi';
import { createValidationPipe } from './common/validation';
import { httpMetrics } from './health/api-metrics.server';
import { serveInbox } from './inbox/inbox-static';

async function bootstrap(): Promise<void> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule, { bodyParser: false, bufferLogs: true });
  app.useLogger(app.get(PinoNestLogger));
  const config = app.get<SeamlineConfig>(SEAMLINE_CONFIG);
  const logger = new Logger('Api');
  // First: every request is timed and, with tracing on, runs inside its server span.
  app.use(httpMetrics(app.get(SeamlineMetrics)));
  if (app.get(TRACING)) app.use(httpTracingMiddleware());
  app.set('trust proxy', config.access.trustProxy ? 1 : false);
  app.disable('x-powered-by');
  // The inbound mail routes read their bodies themselves (raw MIME; Postmark's JSON, far over this limit).
  app.useBodyParser('json', {
    limit: config.api.maxBodyBytes,
    reviver: nulFreeReviver,
    type: (req: IncomingMessage) =>
      !/^\/api\/v1\/inbound\/(postmark|mime)(\?|$)/.test(req.url ?? '') &&
      /json/i.test(req.headers['content-type'] ?? ''),
  });
  app.setGlobalPrefix('api/v1');
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ErrorFilter());
  app.enableShutdownHooks();
  serveInbox(app, config);

  const document = createOpenApiDocument(app);
  SwaggerModule.setup('docs', app, document);
  // Registered before the routes (they are added when the app starts listening), so it sees every request first.
  app.use(codecCors(config.operations.codecCorsOrigins));
  app.use(methodNotAllowed(document));

  if (config.access.jwtSecretSource === 'ephemeral') {
    logger.warn('AUTH_JWT_SECRET is not set: tokens are signed with a key made for this process and end when it stops');
  }
  await app.listen(config.api.port, config.api.host);
  logger.log(`listening on http://${config.api.host}:${config.api.port}/api/v1 (inbox at /)`);
}

bootstrap().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
