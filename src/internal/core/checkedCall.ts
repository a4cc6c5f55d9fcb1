import { throwError, type Observable } from 'rxjs';

/**
 * Builds the Observable of a public method, its argument checks included:
 * a check that throws (an `InvalidArgumentError`) becomes the error of the
 * Observable, delivered on subscribe, as the official SDK delivers it as a
 * rejected promise. The library is cold everywhere: calling a method never
 * throws, whatever its arguments, and subscribing is when anything happens.
 *
 * @param build Checks the arguments and returns the method's Observable.
 * @returns That Observable, or one that errors with what the checks threw.
 */
export function checkedCall<T>(build: () => Observable<T>): Observable<T> {
  try {
    return build();
  } catch (error) {
    return throwError(() => error);
  }
}
