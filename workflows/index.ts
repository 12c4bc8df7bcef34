/** The workflow bundle's entry: every workflow the worker runs. */
export { ticketWorkflow } from './ticket/ticket.workflow';
