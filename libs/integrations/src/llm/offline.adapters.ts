import { classifyOffline, draftOffline, type Classifier, type Drafter } from '../../../domain';

/** The default classifier: deterministic rules and a small bundled model, no network, no key. */
export class OfflineClassifier implements Classifier {
  async classify(input: Parameters<Classifier['classify']>[0]): ReturnType<Classifier['classify']> {
    return classifyOffline(input);
  }
}

/** The default drafter: per-intent templates filled only with facts from the order and the store policy. */
export class OfflineDrafter implements Drafter {
  async draft(input: Parameters<Drafter['draft']>[0]): ReturnType<Drafter['draft']> {
    return draftOffline(input);
  }
}
