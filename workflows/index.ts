/** The workflow bundle's entry: every workflow the worker runs. */
export { slaNotifierWorkflow } from './sla-notifier/sla-notifier.workflow';
export { ticketWorkflow } from './ticket/ticket.workflow';
export { routingPolicyWorkflow } from './routing-policy/routing-policy.workflow';
