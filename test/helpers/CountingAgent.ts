import type { IncomingHttpHeaders } from 'node:http';
import { Agent, DecoratorHandler, type Dispatcher } from 'undici';

/** DecoratorHandler's own methods, which its declared type does not list: they pass each event on. */
const passOn: Dispatcher.DispatchHandler = DecoratorHandler.prototype;

/**
 * An undici Agent that counts the requests a client hands to it and the responses it has
 * delivered whole. "Nothing more was sent" is then an event to wait for, not a sleep: once the
 * response that could trigger another request is delivered and the work it started has run,
 * `dispatched` says whether the client asked for more.
 */
export class CountingAgent extends Agent {
  dispatched = 0;
  answered = 0;

  override dispatch(options: Agent.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    this.dispatched += 1;
    const agent = this;
    class Counted extends DecoratorHandler {
      onResponseEnd(controller: Dispatcher.DispatchController, trailers: IncomingHttpHeaders): void {
        agent.answered += 1;
        passOn.onResponseEnd?.call(this, controller, trailers);
      }
    }
    return super.dispatch(options, new Counted(handler));
  }
}
