import { InitialSchema1764252000000 } from './1764252000000-initial-schema';
import { EmailIntake1764260000000 } from './1764260000000-email-intake';
import { Identity1764270000000 } from './1764270000000-identity';
import { SlaNotifications1764290000000 } from './1764290000000-sla-notifications';
import { ThreadTrust1764300000000 } from './1764300000000-thread-trust';
import { IntakeRetry1764310000000 } from './1764310000000-intake-retry';
import { Acknowledgements1764320000000 } from './1764320000000-acknowledgements';
import { QuarantineResolution1764330000000 } from './1764330000000-quarantine-resolution';
import { RoutingOutcomes1764350000000 } from './1764350000000-routing-outcomes';

/** Every migration, oldest first. Landed migrations are never edited: add a new one. */
export const MIGRATIONS = [
  InitialSchema1764252000000,
  EmailIntake1764260000000,
  Identity1764270000000,
  SlaNotifications1764290000000,
  ThreadTrust1764300000000,
  IntakeRetry1764310000000,
  Acknowledgements1764320000000,
  QuarantineResolution1764330000000,
  RoutingOutcomes1764350000000,
];
