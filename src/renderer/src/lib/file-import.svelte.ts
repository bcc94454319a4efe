import { ApiCallError } from './api';

/**
 * What every import flow shares (a catalog, past lab results): the file chosen in the desktop
 * app's Open dialog or typed in the web preview (which has no dialog), the sheet of a workbook,
 * and the busy flag and error of the step running.
 */
export abstract class FileImportFlow {
  path = $state('');
  /** The web preview has no file dialog: the person types a path instead. */
  typedPath = $state(false);
  /** The worksheet of an Excel workbook ('' before the first preview: the first sheet). */
  sheet = $state('');
  busy = $state(false);
  error = $state<string | null>(null);

  /** The shell's Open dialog for this kind of file; null when cancelled. */
  protected abstract pick(): Promise<{ path: string } | null>;
  /** Reads the head of the chosen file (and sheet) the way the import will. */
  abstract load(): Promise<void>;

  async choose(): Promise<void> {
    this.error = null;
    try {
      const picked = await this.pick();
      if (!picked) return; // cancelled
      this.path = picked.path;
      await this.load();
    } catch (error) {
      if (error instanceof ApiCallError && error.code === 'unsupported') this.typedPath = true;
      else this.error = (error as Error).message;
    }
  }

  /** Reads another sheet of the workbook; its columns are read afresh. */
  async chooseSheet(sheet: string): Promise<void> {
    this.sheet = sheet;
    await this.load();
  }

  /** The sheet argument of a preview or import: the chosen sheet, or none for the first. */
  protected sheetArg(): { sheet?: string } {
    return this.sheet ? { sheet: this.sheet } : {};
  }

  /** Runs one step with `busy` set, showing its error; false when it failed. */
  protected async run(work: () => Promise<void>): Promise<boolean> {
    this.busy = true;
    this.error = null;
    try {
      await work();
      return true;
    } catch (error) {
      this.error = (error as Error).message;
      return false;
    } finally {
      this.busy = false;
    }
  }
}
