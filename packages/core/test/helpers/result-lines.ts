/** A complete succeeded message with the optional fields (2026 order) and two kinds of block. */
export const sampleMessage = {
  model: 'claude-sonnet-4-5',
  id: 'msg_01',
  type: 'message',
  role: 'assistant',
  content: [
    { type: 'text', text: 'Hello' },
    { type: 'tool_use', id: 't', name: 'n', input: { a: 1 } },
  ],
  stop_reason: 'end_turn',
  stop_sequence: null,
  stop_details: null,
  usage: {
    input_tokens: 1,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: null,
    cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 3 },
    output_tokens: 2,
    service_tier: 'batch',
    inference_geo: 'not_available',
  },
};

/** One valid results line of each documented variant, in that order. */
export const sampleResultLines = [
  { custom_id: 'ok-1', result: { type: 'succeeded', message: sampleMessage } },
  {
    custom_id: 'bad-1',
    result: {
      type: 'errored',
      error: {
        type: 'error',
        error: { type: 'invalid_request_error', message: 'no', details: { x: 1 } },
        request_id: null,
      },
    },
  },
  { custom_id: 'c-1', result: { type: 'canceled' } },
  { custom_id: 'e-1', result: { type: 'expired' } },
];
