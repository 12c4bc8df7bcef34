import { AuditEntity } from './audit.entity';
import { CustomerEntity } from './customer.entity';
import { MessageEntity } from './message.entity';
import { OrderEntity } from './order.entity';
import { OutboxEntity } from './outbox.entity';
import { TicketEntity } from './ticket.entity';
import { IDENTITY_ENTITIES } from '../identity/identity.entities';

export { AuditEntity, CustomerEntity, MessageEntity, OrderEntity, OutboxEntity, TicketEntity };
export const ENTITIES = [
  AuditEntity,
  CustomerEntity,
  MessageEntity,
  OrderEntity,
  OutboxEntity,
  TicketEntity,
  ...IDENTITY_ENTITIES,
];
