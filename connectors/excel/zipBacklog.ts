/**
 * Backpressure for exceljs's streaming writer, which has none: a worksheet's committed rows are
 * rendered to XML and pushed at once into the zip archiver's input, which holds them until it gets
 * round to compressing them. A sheet written in one synchronous loop is thus held in memory whole,
 * as XML (~650 bytes a row: ~650 MB for a Hovedbok of 1,000,000 entries). `waitForZip` lets the
 * writer pause now and then until the archiver has caught up, so memory stays flat however many
 * rows there are (bench/excel.ts reports peak RSS).
 *
 * exceljs 4.4.0 has no public way to see that backlog. A worksheet writer's `stream` (exceljs's
 * StreamBuf) writes into the PassThrough that archiver's `append` wraps every input in
 * (archiver-utils' `normalizeInputSource`, a readable-stream 2 stream), and what that stream holds
 * unread is its `_writableState.length`. Where that is not found (another exceljs or archiver),
 * `zipBacklog` is undefined and the writer does not wait: the workbook is written as before, only
 * with more memory. A test checks that it is found.
 */

interface Buffered {
  readonly destroyed?: boolean
  readonly _writableState?: { readonly length?: unknown }
}

const inputOf = (ws: unknown): Buffered | undefined => {
  const stream = (ws as { readonly stream?: { readonly pipes?: ReadonlyArray<Buffered> } }).stream
  return stream?.pipes?.[0]
}

/** Bytes of the worksheet's XML the zip archiver has not read yet; undefined where that cannot be seen. */
export const zipBacklog = (ws: unknown): number | undefined => {
  const length = inputOf(ws)?._writableState?.length
  return typeof length === "number" ? length : undefined
}

/** Above this many bytes waiting, the writer waits until half of them are compressed. */
export const BACKLOG_LIMIT = 4 * 2 ** 20

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/**
 * Waits while the zip archiver is more than `limit` bytes behind the worksheet `ws`, until it is
 * less than half that behind. Polled every 10 ms: the stream emits no event for it
 * (its "drain" comes only once it is empty, which starves the compression). Gives up waiting if
 * the archiver's input is destroyed (an error ends the write elsewhere) or makes no progress for
 * 10 seconds, so a stalled archive never hangs the writer here.
 */
export const waitForZip = async (ws: unknown, limit = BACKLOG_LIMIT): Promise<void> => {
  const input = inputOf(ws)
  let backlog = zipBacklog(ws)
  if (input === undefined || backlog === undefined || backlog <= limit) return
  let progressAt = performance.now()
  while (backlog !== undefined && backlog > limit / 2 && input.destroyed !== true && performance.now() - progressAt < 10_000) {
    await sleep(10)
    const now = zipBacklog(ws)
    if (now !== backlog) progressAt = performance.now()
    backlog = now
  }
}
