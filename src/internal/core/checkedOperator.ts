import { throwError, type OperatorFunction } from 'rxjs';

/**
 * Builds a public operator, its argument checks included: a check that
 * throws (an `InvalidArgumentError`) becomes the error of every stream the
 * operator is applied to, delivered on subscribe (see `checkedCall`).
 *
 * @param build Checks the arguments and returns the operator.
 * @returns That operator, or one whose output errors with what the checks threw.
 */
export function checkedOperator<A, B>(build: () => OperatorFunction<A, B>): OperatorFunction<A, B> {
  try {
    return build();
  } catch (error) {
    return () => throwError(() => error);
  }
}
