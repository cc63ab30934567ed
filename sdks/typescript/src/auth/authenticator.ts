// How a credential takes part in a call: it adds itself to every attempt (signatures are single-use, so a retry
// is signed again), may ask for one more attempt after a 401, and may learn from answers (a session cookie).
export interface OutgoingRequest {
  readonly method: string;
  readonly url: URL;
  readonly headers: Headers;
  /** The exact bytes that will be sent, or undefined without a body. */
  readonly body: Uint8Array | undefined;
  /** Aborts with the call (its signal or its time budget). */
  readonly signal: AbortSignal;
}

export interface Authenticator {
  /** Adds the credential to one attempt. May throw a PorticoError (e.g. the token endpoint refused the client). */
  authenticate(request: OutgoingRequest): Promise<void> | void;
  /**
   * After a 401 to the attempt that sent `rejected`: forget what may be stale (a cached token) and say whether one
   * more attempt could succeed. A 401 comes from the gateway before anything was forwarded, so repeating it is
   * safe for any method.
   */
  refresh?(rejected: { readonly headers: Headers }): boolean;
  /** Sees every answer with its parsed body. */
  observe?(response: Response, data: unknown): void;
}
