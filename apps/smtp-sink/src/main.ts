/** Development mail sink: `npm start` runs it so replies land somewhere real (written as .eml files). */
import { SmtpSink } from '../../../libs/integrations';

async function main(): Promise<void> {
  const port = Number(process.argv[2] ?? 2525);
  const directory = process.argv[3] ?? '.data/mail';
  const sink = new SmtpSink({ directory });
  await sink.listen(port);
  console.log(`SMTP sink on 127.0.0.1:${port}, writing messages to ${directory}`);
  const stop = (): void => {
    sink.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
