/**
 * Payments: the interface checkout charges through, and a stub behind it. No real provider is wired
 * in the lab; a real one (Stripe, Adyen, ...) implements {@link PaymentProvider} with its SDK and
 * forwards `idempotencyKey`, so a retried checkout can never charge twice.
 */
import { randomUUID } from 'node:crypto';

export interface PaymentRequest {
  readonly orderId: string;
  readonly amountCents: number;
  /** ISO 4217, e.g. USD. */
  readonly currency: string;
  /** Stable per order: the provider deduplicates retries by it. */
  readonly idempotencyKey: string;
}

export type PaymentResult =
  | { readonly status: 'authorized'; readonly reference: string }
  | { readonly status: 'declined'; readonly reason: string };

export interface PaymentProvider {
  /** The provider's name, stored with each payment. */
  readonly name: string;
  /** Authorizes the amount; resolves declined (not throws) when the provider says no. */
  authorize(request: PaymentRequest): Promise<PaymentResult>;
}

/** Authorizes every payment without calling anyone: the lab's stand-in for a real provider. */
export class StubPaymentProvider implements PaymentProvider {
  readonly name = 'stub';

  async authorize(): Promise<PaymentResult> {
    return { status: 'authorized', reference: `stub_${randomUUID()}` };
  }
}
