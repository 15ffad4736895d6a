import { APIPromise } from '../api-promise.ts';
import type { MessageBatchIndividualResponse } from '../schemas/result-line.ts';
import type { BatchResults } from './batch-results.ts';

/** What `results()` returns: await it for a `BatchResults`, or `for await` it directly. */
export class ResultsPromise
  extends APIPromise<BatchResults>
  implements AsyncIterable<MessageBatchIndividualResponse>
{
  /**
   * Hands each `next()` straight to the lines' own iterator once the response is there:
   * a `yield*` generator here cost one more async step per line.
   */
  [Symbol.asyncIterator](): AsyncIterator<MessageBatchIndividualResponse> {
    let lines: AsyncIterator<MessageBatchIndividualResponse> | undefined;
    let opening: Promise<AsyncIterator<MessageBatchIndividualResponse>> | undefined;
    const open = () => {
      opening ??= this.then((results) => {
        lines = results[Symbol.asyncIterator]();
        return lines;
      });
      return opening;
    };
    return {
      next: () => (lines ? lines.next() : open().then((it) => it.next())),
      return: async (value?: unknown) => {
        const it = lines ?? (opening ? await opening : undefined);
        if (it?.return) return it.return(value as undefined);
        return { done: true, value: undefined };
      },
      [Symbol.asyncIterator]() {
        return this;
      },
    } as AsyncIterableIterator<MessageBatchIndividualResponse>;
  }
}
