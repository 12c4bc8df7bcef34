import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { CODEC_COOKIE } from '../auth/codec-cookie';

type Schema = Record<string, unknown>;

/** The OpenAPI document the API serves at /docs and /docs-json. */
export function createOpenApiDocument(app: INestApplication): OpenAPIObject {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Seamline API')
      .setDescription(
        'Customer messages in, agent decisions through durable ticket workflows. Sign in at POST /api/v1/auth/login and ' +
          'send `Authorization: Bearer <token>`; integrations send an ingest API key (`X-Api-Key`), which can only ingest. ' +
          'Every error answers `{ error: { code, message } }` with a stable code (ErrorCode); a method a path does not ' +
          'serve answers 405 with `Allow`.',
      )
      .setVersion('1')
      .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
      .addApiKey({ type: 'apiKey', in: 'header', name: 'X-Api-Key' }, 'apiKey')
      .addCookieAuth(CODEC_COOKIE, { type: 'apiKey', in: 'cookie', name: CODEC_COOKIE }, 'codecCookie')
      .addBasicAuth(
        { type: 'http', scheme: 'basic', description: 'The credentials in the Postmark inbound webhook URL.' },
        'postmark',
      )
      .build(),
  );
  closeValidatedBodies(document);
  return document;
}

/**
 * JSON request bodies are DTOs checked by the global ValidationPipe (common/validation.ts), which refuses fields a
 * DTO does not declare and lets an optional field be null (class-validator's IsOptional). The generated schemas
 * say neither, so this says both for every schema a JSON request body uses, nested ones included. Bodies given
 * as an inline schema (the Postmark webhook's) are not DTOs and keep their own rules.
 */
function closeValidatedBodies(document: OpenAPIObject): void {
  const schemas = (document.components?.schemas ?? {}) as Record<string, Schema>;
  const closed = new Set<string>();
  const close = (name: string): void => {
    const schema = schemas[name];
    if (!schema || closed.has(name)) return;
    closed.add(name);
    schema.additionalProperties = false;
    const required = new Set((schema.required as string[] | undefined) ?? []);
    for (const [property, definition] of Object.entries((schema.properties ?? {}) as Record<string, Schema>)) {
      if (!required.has(property)) {
        definition.nullable = true;
        // OpenAPI 3.0 lets null through an enum only when the enum lists it.
        if (Array.isArray(definition.enum)) definition.enum = [...(definition.enum as unknown[]), null];
      }
      for (const ref of refsIn(definition)) close(ref);
    }
  };
  for (const item of Object.values(document.paths)) {
    for (const operation of Object.values(item) as { requestBody?: { content?: Record<string, Schema> } }[]) {
      const json = operation?.requestBody?.content?.['application/json'];
      for (const ref of json ? refsIn(json.schema as Schema) : []) close(ref);
    }
  }
}

/** Names of the component schemas a schema refers to directly (itself, its items, allOf/oneOf/anyOf parts). */
function refsIn(schema: Schema | undefined): string[] {
  if (!schema) return [];
  const ref = typeof schema.$ref === 'string' ? [schema.$ref.replace('#/components/schemas/', '')] : [];
  const parts = ['allOf', 'oneOf', 'anyOf'].flatMap((key) => (schema[key] as Schema[] | undefined) ?? []);
  return [...ref, ...refsIn(schema.items as Schema | undefined), ...parts.flatMap(refsIn)];
}
