/** A Parquet file that {@link writeParquet} (or `rxsc export --format parquet`) completed and closed under its final name. */
export interface ParquetWritten {
  /** The file's path, as given. */
  readonly path: string;
  /** Rows written: one per completion. */
  readonly rows: number;
  /** The file's size in bytes. */
  readonly bytes: number;
}
