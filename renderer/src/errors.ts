import { AppError } from '../../shared/errors/app-error';

/** The Japanese message of an error from the contract, or a generic one. */
export function errorMessage(e: unknown): string {
  if (e instanceof AppError) return e.messageJa;
  return '予期しないエラーが発生しました。';
}
