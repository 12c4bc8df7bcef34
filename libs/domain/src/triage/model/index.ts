/** The intent model's parts, for the training script and the evaluation. Product code calls classifyOffline. */
export * from './features';
export * from './linear-model';
