import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import type { OrderLine, OrderSnapshot, Shipment } from '../../../domain';
import { CustomerEntity } from './customer.entity';

const numeric = { to: (v: number) => v, from: (v: string | null) => (v === null ? 0 : Number(v)) };

@Entity('orders')
export class OrderEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'order_number', type: 'text', unique: true })
  orderNumber!: string;

  @Column({ name: 'customer_id', type: 'uuid' })
  customerId!: string;

  @ManyToOne(() => CustomerEntity, { nullable: false })
  @JoinColumn({ name: 'customer_id' })
  customer?: CustomerEntity;

  @Column({ type: 'text' })
  status!: OrderSnapshot['status'];

  @Column({ name: 'placed_at', type: 'timestamptz' })
  placedAt!: Date;

  @Column({ type: 'numeric', precision: 12, scale: 2, transformer: numeric })
  total!: number;

  @Column({ type: 'char', length: 3 })
  currency!: string;

  @Column({ name: 'shipping_country', type: 'char', length: 2 })
  shippingCountry!: string;

  @Column({ type: 'jsonb' })
  lines!: OrderLine[];

  @Column({ type: 'jsonb' })
  shipments!: Shipment[];

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
