// @ts-check
import { batchRequests, IN_PROCESS_URL } from './fixtures.js';

/** @type {import('../src/harness.js').Scenario} */
export default {
  name: 'errors map to typed classes (404, 400, 401)',
  async run({ createClient, emulator, assert, sdk }) {
    const api = emulator({ clock: 'manual', apiKeys: ['sk-right'] });
    const options = { baseURL: IN_PROCESS_URL, fetch: api.fetch, maxRetries: 0 };
    const batches = createClient({ apiKey: 'sk-right', ...options }).messages.batches;

    const notFound = await assert.rejects(batches.retrieve('msgbatch_missing'), 'NotFoundError');
    assert.equal(notFound.status, 404, '404 status');
    assert.equal(notFound.type, 'not_found_error', '404 error type');
    assert.ok(/^req_/.test(notFound.requestID ?? ''), '404 carries the request id');
    assert.ok(notFound instanceof sdk.APIError, 'an APIError of the entry under test');

    const { id } = await batches.create({ requests: batchRequests(2) });
    const badRequest = await assert.rejects(batches.delete(id), 'BadRequestError');
    assert.equal(badRequest.status, 400, '400 status');
    assert.equal(badRequest.type, 'invalid_request_error', '400 error type');

    const wrongKey = 'sk-wrong-0123456789';
    const stranger = createClient({ apiKey: wrongKey, ...options }).messages.batches;
    const unauthorized = await assert.rejects(stranger.retrieve(id), 'AuthenticationError');
    assert.equal(unauthorized.status, 401, '401 status');
    const shown = `${unauthorized.message} ${String(unauthorized.stack)} ${JSON.stringify(unauthorized)}`;
    assert.ok(!shown.includes(wrongKey), 'the credential appears nowhere in the error');
  },
};
