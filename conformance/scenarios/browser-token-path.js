// @ts-check

/** @type {import('../src/harness.js').Scenario} */
export default {
  name: 'browser token path through the proxy',
  requires: ['tokenPath', 'createBrowserClient'],
  async run({ tokenPath, createBrowserClient, assert }) {
    const path = await tokenPath();
    const via = path.fetch ? { fetch: path.fetch } : {};
    let mints = 0;
    const client = createBrowserClient({
      baseURL: path.baseURL,
      getToken: () => {
        mints += 1;
        return path.getToken();
      },
      ...via,
    });
    const batches = client.messages.batches;

    const batch = await batches.retrieve(path.batchId);
    assert.equal(batch.processing_status, 'in_progress', 'retrieved through the proxy');
    const canceled = await batches.cancel(path.batchId);
    assert.equal(canceled.processing_status, 'canceling', 'canceled through the proxy');
    assert.equal(mints, 1, 'the token was fetched once and cached');

    const readOnly = createBrowserClient({
      baseURL: path.baseURL,
      getToken: path.getReadOnlyToken,
      ...via,
    }).messages.batches;
    const again = await readOnly.retrieve(path.batchId);
    assert.equal(again.id, path.batchId, 'a read-only token may read');
    const denied = await assert.rejects(readOnly.cancel(path.batchId), 'PermissionDeniedError');
    assert.equal(denied.status, 403, 'a read-only token may not cancel');

    const seen = JSON.stringify([batch, canceled, again, denied.message, denied.error]);
    assert.ok(!seen.includes(path.secretMarker), 'the upstream key never reaches the client');
  },
};
