// The Disposable base of the host's long-lived objects (after vscode-hexeditor's): what a subclass
// creates it hands to `_register`, and one `dispose` releases all of it, newest first. Pure: no
// vscode import (vscode.Disposable has the same shape), so the unit tests can use it.

export interface IDisposable {
  dispose(): void;
}

export abstract class Disposable implements IDisposable {
  private readonly owned: IDisposable[] = [];
  private disposedAlready = false;

  protected get isDisposed(): boolean {
    return this.disposedAlready;
  }

  /** Owns `d` from now on; registered after disposal, it is disposed at once. */
  protected _register<T extends IDisposable>(d: T): T {
    if (this.disposedAlready) d.dispose();
    else this.owned.push(d);
    return d;
  }

  dispose(): void {
    if (this.disposedAlready) return;
    this.disposedAlready = true;
    for (const d of this.owned.splice(0).reverse()) d.dispose();
  }
}
