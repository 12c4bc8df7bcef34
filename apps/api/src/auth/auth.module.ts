import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { ThrottlerModule } from '@nestjs/throttler';
import { createSecretKey } from 'node:crypto';
import { SEAMLINE_CONFIG, type SeamlineConfig } from '../../../../libs/config';
import { AuthController } from './auth.controller';
import { AuthGuard } from './auth.guard';
import { AuthService, TOKEN_AUDIENCE, TOKEN_ISSUER } from './auth.service';
import { rateLimits } from './rate-limits';

/**
 * Identity and access for the API: password login to a signed JWT (HS256), API keys for integrations, the global
 * AuthGuard on every route, and the rate limits. Exports the AuthService.
 */
@Global()
@Module({
  imports: [
    JwtModule.registerAsync({
      inject: [SEAMLINE_CONFIG],
      useFactory: (config: SeamlineConfig) => ({
        // A KeyObject, not a string: jsonwebtoken otherwise tries (and fails) to parse the string as a PEM public
        // key on every verification, which costs more than the rest of an authenticated request.
        secret: createSecretKey(Buffer.from(config.access.jwtSecret, 'utf8')),
        signOptions: {
          algorithm: 'HS256',
          expiresIn: config.access.tokenTtlSeconds,
          issuer: TOKEN_ISSUER,
          audience: TOKEN_AUDIENCE,
        },
        verifyOptions: { algorithms: ['HS256'], issuer: TOKEN_ISSUER, audience: TOKEN_AUDIENCE },
      }),
    }),
    ThrottlerModule.forRootAsync({
      inject: [SEAMLINE_CONFIG],
      useFactory: (config: SeamlineConfig) => rateLimits(config.access),
    }),
  ],
  controllers: [AuthController],
  providers: [AuthService, { provide: APP_GUARD, useClass: AuthGuard }],
  exports: [AuthService],
})
export class AuthModule {}
