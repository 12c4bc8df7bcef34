import nodemailer from 'nodemailer';
import { SmtpSink } from './smtp-sink';

/** The sink's test faults: what a real SMTP client sees when the sink refuses or stalls. */
describe('SmtpSink faults', () => {
  let sink: SmtpSink;
  let port: number;
  beforeEach(async () => {
    sink = new SmtpSink();
    port = await sink.listen(0);
  });
  afterEach(() => sink.close());

  const send = (messageId: string) =>
    nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true }).sendMail({
      from: 'support@seamline.local',
      to: 'customer@example.com',
      subject: 'Hi',
      text: 'Hello',
      messageId,
    });

  it.each([451, 554])('refuses every recipient with %i while the fault lasts, and keeps nothing', async (code) => {
    sink.fault = { kind: 'refuse', code };
    await expect(send('<a@test>')).rejects.toMatchObject({ responseCode: code });
    expect(sink.received).toHaveLength(0);
    expect(sink.refused).toBe(1);
    sink.fault = null;
    await send('<b@test>');
    expect(sink.received.map((m) => m.messageId)).toEqual(['<b@test>']);
  });

  it('accepts a message only after the delay when slow', async () => {
    sink.fault = { kind: 'slow', delayMs: 400 };
    const started = Date.now();
    await send('<slow@test>');
    expect(Date.now() - started).toBeGreaterThanOrEqual(400);
    expect(sink.received.map((m) => m.messageId)).toEqual(['<slow@test>']);
  });
});
