/**
 * Shared plumbing of the OpenAI adapters: client construction, one structured chat call with a single repair
 * attempt, heartbeats while waiting, and the translation of failures into retryable or permanent errors.
 *
 * Retries live in Temporal only: the client never retries (`maxRetries: 0`). A failure that another attempt can
 * fix (429, 5xx, timeout, connection) is a `RetryableLlmError`; one that cannot (rejected request, output still
 * invalid after the repair) is a `PermanentLlmError`.
 */
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError, OpenAI } from 'openai';
import { zodResponseFormat } from 'openai/helpers/zod';
import type { ChatCompletion, ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { z } from 'zod';
import { PermanentLlmError, RetryableLlmError } from '../../../domain';

/** The `openai` variant of `SeamlineConfig['llm']`. */
export interface OpenAiSettings {
  apiKey: string;
  /** Any OpenAI-compatible endpoint, e.g. `http://127.0.0.1:11434/v1`. Defaults to the OpenAI API. */
  baseUrl?: string;
  model: string;
  /** Per HTTP request. The repair attempt, when needed, is a second request with the same timeout. */
  timeoutMs: number;
}

export interface OpenAiAdapterOptions {
  /**
   * Called when a call starts and then every `heartbeatIntervalMs` until it ends. The worker passes one that
   * heartbeats the current Temporal activity; errors it throws are ignored.
   */
  heartbeat?: () => void;
  heartbeatIntervalMs?: number;
  /** A prebuilt client (tests, or sharing one client between the adapters). */
  client?: OpenAI;
}

export const OPENAI_DEFAULT_BASE_URL = 'https://api.openai.com/v1';
const DEFAULT_HEARTBEAT_INTERVAL_MS = 2_000;
/** Longest Retry-After honoured; anything longer is left to Temporal's own backoff. */
const MAX_RETRY_AFTER_MS = 10 * 60_000;
const MAX_ECHOED_OUTPUT_CHARS = 8_000;
const MAX_PROBLEM_CHARS = 1_500;

/** `source` of a Classification or Draft produced by this model. */
export function openAiSource(model: string): string {
  return `openai:${model}`;
}

/**
 * A client that reads nothing from the environment (config is the only reader of `process.env`) and never retries.
 * `OPENAI_LOG`/`OPENAI_CUSTOM_HEADERS` are still honoured by the library itself; we pass everything else.
 */
export function createOpenAiClient(settings: OpenAiSettings): OpenAI {
  return new OpenAI({
    apiKey: settings.apiKey,
    baseURL: settings.baseUrl ?? OPENAI_DEFAULT_BASE_URL,
    organization: null,
    project: null,
    adminAPIKey: null,
    webhookSecret: null,
    maxRetries: 0,
    timeout: settings.timeoutMs,
  });
}

/** Delay the endpoint asked for, in ms: `retry-after-ms`, then `Retry-After` (seconds or an HTTP date). */
export function retryAfterMs(headers: Headers | undefined | null, nowMs: number = Date.now()): number | undefined {
  if (!headers) return undefined;
  const clamp = (ms: number) =>
    Number.isFinite(ms) && ms >= 0 ? Math.min(Math.round(ms), MAX_RETRY_AFTER_MS) : undefined;
  const ms = headers.get('retry-after-ms');
  if (ms && /^\s*\d+(\.\d+)?\s*$/.test(ms)) return clamp(Number(ms));
  const value = headers.get('retry-after');
  if (!value) return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/.test(value)) return clamp(Number(value) * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : clamp(Math.max(0, at - nowMs));
}

/**
 * Translates what the `openai` client throws into our two error kinds; anything else passes unchanged.
 * `timing` lets a connection error that ended at the timeout read as a timeout even when the abort reason was lost
 * (the client reports its own timeout as `APIConnectionTimeoutError` only when the abort error is a native `Error`).
 */
export function toLlmError(error: unknown, timing?: { elapsedMs: number; timeoutMs: number }): unknown {
  if (error instanceof PermanentLlmError || error instanceof RetryableLlmError) return error;
  // the caller's abort: not the endpoint's fault, pass it on as it is
  if (error instanceof APIUserAbortError) return error;
  if (
    error instanceof APIConnectionTimeoutError ||
    (error instanceof APIConnectionError && timing && timing.elapsedMs >= timing.timeoutMs)
  ) {
    const within = timing ? ` within ${timing.timeoutMs} ms` : '';
    return new RetryableLlmError(`LLM endpoint gave no answer${within}`, undefined, undefined, { cause: error });
  }
  if (error instanceof APIConnectionError)
    return new RetryableLlmError(`LLM endpoint unreachable: ${error.message}`, undefined, undefined, { cause: error });
  if (error instanceof APIError) {
    const status = error.status;
    const transient = status === undefined || status === 408 || status === 409 || status === 429 || status >= 500;
    if (transient) {
      return new RetryableLlmError(
        `LLM endpoint answered ${status ?? 'without a status'}: ${error.message}`,
        status,
        retryAfterMs(error.headers),
        { cause: error },
      );
    }
    return new PermanentLlmError(
      `LLM endpoint rejected the request (${status}): ${error.message}`,
      'request_rejected',
      status,
      { cause: error },
    );
  }
  return error;
}

/**
 * JSON-encodes untrusted text or data for a prompt, with `<` escaped so it can never close the tag that
 * delimits it (`</customer_message>`); the model still reads it as the same text.
 */
export function quoteUntrusted(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(/</g, '\\u003c');
}

type Attempt<T> = { ok: true; value: T } | { ok: false; problem: string; output: string };

/** Reads one completion: the JSON answer if it is complete, parseable and valid, otherwise what is wrong with it. */
export function readAnswer<S extends z.ZodType>(completion: ChatCompletion, schema: S): Attempt<z.output<S>> {
  const choice = completion.choices?.[0];
  const message = choice?.message;
  const output = typeof message?.content === 'string' ? message.content : '';
  if (!choice || !message) return { ok: false, problem: 'the answer had no choices', output };
  if (typeof message.refusal === 'string' && message.refusal.length > 0) {
    return {
      ok: false,
      problem: `you refused to answer ("${message.refusal.slice(0, 300)}"); this is a routine support task, answer with the JSON object`,
      output: message.refusal,
    };
  }
  if (choice.finish_reason === 'length') {
    return {
      ok: false,
      problem: 'your answer was cut off (too long); answer again, shorter, as one complete JSON object',
      output,
    };
  }
  if (choice.finish_reason === 'content_filter') {
    return { ok: false, problem: 'your answer was stopped by the content filter', output };
  }
  let json: unknown;
  try {
    json = JSON.parse(output);
  } catch (error) {
    return { ok: false, problem: `your answer is not valid JSON (${(error as Error).message})`, output };
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success)
    return { ok: false, problem: `your answer does not match the schema:\n${z.prettifyError(parsed.error)}`, output };
  return { ok: true, value: parsed.data };
}

/** One structured-output chat call against one model, with at most one repair attempt. */
export class StructuredChat {
  readonly model: string;
  private readonly timeoutMs: number;
  private readonly client: OpenAI;
  private readonly heartbeat?: () => void;
  private readonly heartbeatIntervalMs: number;

  constructor(settings: OpenAiSettings, options: OpenAiAdapterOptions = {}) {
    this.model = settings.model;
    this.timeoutMs = settings.timeoutMs;
    this.client = options.client ?? createOpenAiClient(settings);
    this.heartbeat = options.heartbeat;
    this.heartbeatIntervalMs = options.heartbeatIntervalMs ?? DEFAULT_HEARTBEAT_INTERVAL_MS;
  }

  /**
   * Asks for a JSON answer matching `schema` (sent as a strict JSON Schema). An answer that is not JSON, does not
   * match, was cut off or is a refusal gets one repair request that shows the model its answer and what is wrong;
   * if that fails too, a `PermanentLlmError`. HTTP and network failures are thrown as they happen (see `toLlmError`).
   */
  async complete<S extends z.ZodType>(request: {
    name: string;
    schema: S;
    messages: ChatCompletionMessageParam[];
    maxTokens: number;
  }): Promise<z.output<S>> {
    const stopHeartbeat = this.startHeartbeat();
    try {
      const responseFormat = zodResponseFormat(request.schema, request.name);
      const ask = async (messages: ChatCompletionMessageParam[]): Promise<ChatCompletion> => {
        const started = Date.now();
        try {
          return await this.client.chat.completions.create({
            model: this.model,
            messages,
            response_format: responseFormat,
            max_completion_tokens: request.maxTokens,
          });
        } catch (error) {
          throw toLlmError(error, { elapsedMs: Date.now() - started, timeoutMs: this.timeoutMs });
        }
      };

      const first = readAnswer(await ask(request.messages), request.schema);
      if (first.ok) return first.value;
      this.beat();

      const repair: ChatCompletionMessageParam[] = [
        ...request.messages,
        { role: 'assistant', content: first.output.slice(0, MAX_ECHOED_OUTPUT_CHARS) || '(empty answer)' },
        {
          role: 'user',
          content: `Your previous answer cannot be used: ${first.problem.slice(0, MAX_PROBLEM_CHARS)}\nReply again with only one JSON object that matches the "${request.name}" schema exactly, with no other fields and no other text.`,
        },
      ];
      const second = readAnswer(await ask(repair), request.schema);
      if (second.ok) return second.value;
      throw new PermanentLlmError(
        `${openAiSource(this.model)} gave no valid "${request.name}" answer after one repair attempt: ${second.problem.slice(0, MAX_PROBLEM_CHARS)}`,
        'invalid_output',
      );
    } finally {
      stopHeartbeat();
    }
  }

  private beat(): void {
    try {
      this.heartbeat?.();
    } catch {
      // a heartbeat is a courtesy to the scheduler; it must never fail the call
    }
  }

  private startHeartbeat(): () => void {
    if (!this.heartbeat) return () => undefined;
    this.beat();
    const timer = setInterval(() => this.beat(), this.heartbeatIntervalMs);
    timer.unref?.();
    return () => clearInterval(timer);
  }
}
