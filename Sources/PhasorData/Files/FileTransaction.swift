import Foundation

// The files one command writes, as one unit (DESIGN.md §2, docs/data-formats.md "Writing files"). A command either
// succeeds and keeps everything it wrote, or fails and leaves the file system as it found it:
//   • every write goes through AtomicFile, which tells the open transaction before it renames over a destination.
//     The first time a destination that already exists is replaced, its current contents are kept under a temporary
//     name in the same folder (a hard link: no copy, no extra space until the file is replaced; a copy where the file
//     system has no hard links). A destination that did not exist is remembered as created. Folders made by
//     `AtomicFile.createFolder` are remembered too;
//   • `commit()` (the command succeeded) drops the kept originals; `rollBack()` (it failed) renames each original back
//     over its destination (atomically), removes the files it created, then the folders it created if they are empty.
//     A killed process does neither: its kept originals look like any writer's temporaries
//     (`.phasor-tmp-<h>-<host>-<pid>-<r>`) and the next write of the same destination removes them;
//   • inputs are protected: every file the command reads through PhasorData (FileBytes.read: data sets, checkpoints,
//     arrays, a tracked run's records) and every file an option names (`protect`) is recorded by its identity
//     (device, inode); `declare` records the outputs it will write. An output that is an input (also through a
//     symbolic or hard link, or a relative path) and two outputs that are the same file are refused as soon as both
//     are known — before any work — and a write whose destination is a protected input is refused whenever it
//     happens (an output not declared up front, a file written into a --plot folder). An output declared
//     `rereadable` (train's checkpoint, resume state and --track folder, which --resume reads back) is not an input
//     when it is read.
// Outside a transaction (library use, tests) AtomicFile writes exactly as before.

/// The files written by one command, committed or rolled back together; inputs it must not overwrite.
public final class FileTransaction: @unchecked Sendable {
    /// The open transaction, if any: the task's own (`isolated`), else the process's (`begin`, one command).
    public static var current: FileTransaction? {
        if let scoped { return scoped }
        lock.lock(); defer { lock.unlock() }
        return open
    }

    /// A transaction seen only by the calling task (and tasks it starts) — for tests and library callers that run
    /// beside other work in the same process; the command line uses the process-wide `begin()`, which threads started
    /// by Dispatch see as well.
    @TaskLocal private static var scoped: FileTransaction?

    /// Runs `body` inside a fresh task-local transaction; `body` commits or rolls back.
    public static func isolated<T>(_ body: (FileTransaction) throws -> T) rethrows -> T {
        let transaction = FileTransaction()
        return try $scoped.withValue(transaction) { try body(transaction) }
    }

    private static let lock = NSLock()
    nonisolated(unsafe) private static var open: FileTransaction?

    /// A file system object's identity: the same file whatever path, link or hard link names it.
    struct Identity: Hashable {
        let device: UInt64
        let inode: UInt64

        init?(_ path: String) {
            guard case let .success(s) = FileSystem.status(path) else { return nil }
            device = UInt64(s.st_dev)
            inode = UInt64(s.st_ino)
        }
    }

    private struct Written {
        let target: String
        /// The original contents kept under a temporary name; nil when this transaction created the file.
        let original: String?
    }

    private let lock = NSLock()
    private var inputs: [Identity: String] = [:]
    private var outputs: [(what: String, path: String, canonical: String, isFolder: Bool, rereadable: Bool)] = []
    private var written: [Written] = []
    private var createdFolders: [String] = []

    private init() {}

    /// Opens the process's transaction (replacing none: a second call returns the open one).
    public static func begin() -> FileTransaction {
        lock.lock(); defer { lock.unlock() }
        if let open { return open }
        let transaction = FileTransaction()
        open = transaction
        return transaction
    }

    // MARK: - Inputs and outputs

    /// Records `path` (an existing file, e.g. a `--data` file or a file a dataset folder holds) as an input of the
    /// command, described as `what` ("--data d.csv"). Throws when a declared output is the same file.
    public func protect(_ path: String, as what: String) throws {
        guard FileSystem.kind(path) == .regular, let identity = Identity(path) else { return }
        lock.lock(); defer { lock.unlock() }
        if let output = outputs.first(where: { Identity($0.path) == identity }) {
            throw Self.collision(output.what, output.path, isInput: what)
        }
        if inputs[identity] == nil { inputs[identity] = what }
    }

    /// Records `path` (a file, or a folder files are written into) as an output the command will write, described as
    /// `what` ("--out m.safetensors"); `rereadable` when the command may read it back as its own earlier output.
    /// Throws when it is a protected input or the same path as another declared output.
    public func declare(_ path: String, as what: String, isFolder: Bool = false, rereadable: Bool = false) throws {
        let canonical = isFolder ? Self.canonicalFolder(path) : Self.canonical(path)
        lock.lock(); defer { lock.unlock() }
        if let identity = Identity(path), let input = inputs[identity] {
            throw Self.collision(what, path, isInput: input)
        }
        if let other = outputs.first(where: { $0.canonical == canonical }) {
            throw FileWriteError(path: path, reason: "\(what) and \(other.what) name the same file; the second write "
                + "would replace the first (give each output its own path)")
        }
        outputs.append((what, path, canonical, isFolder, rereadable))
    }

    /// After a reader read `path`: it is an input of the command, unless it is a rereadable output (or lies in a
    /// rereadable output folder).
    func didRead(_ path: String) throws {
        let canonical = Self.canonical(path)
        let folder = (canonical as NSString).deletingLastPathComponent
        let own: Bool = {
            lock.lock(); defer { lock.unlock() }
            return outputs.contains { $0.rereadable && ($0.canonical == canonical || ($0.isFolder && $0.canonical == folder)) }
        }()
        if !own { try protect(path, as: path) }
    }

    private static func collision(_ output: String, _ path: String, isInput input: String) -> FileWriteError {
        FileWriteError(path: path, reason: "\(output) is the same file as the input \(input); writing it would destroy "
            + "the input (choose another output path)")
    }

    /// `path` with its folder resolved (symbolic links, "..", relative to the current directory) and, when it is a
    /// symbolic link, its final target: two spellings of one destination give the same string.
    static func canonical(_ path: String) -> String {
        let target = (try? AtomicFile.destination(of: path)) ?? path
        let folder = (target as NSString).deletingLastPathComponent
        let name = (target as NSString).lastPathComponent
        guard let resolved = realpath(folder.isEmpty ? "." : folder, nil) else { return target }
        defer { free(resolved) }
        return (String(cString: resolved) as NSString).appendingPathComponent(name)
    }

    /// A folder's path with its symbolic links and ".." resolved when it exists (as written otherwise).
    static func canonicalFolder(_ path: String) -> String {
        guard let resolved = realpath(path, nil) else { return path }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    // MARK: - Called by AtomicFile

    /// Before `target` (a resolved destination) is replaced or created: refuses a protected input; keeps the original
    /// of an existing file the first time this transaction replaces it.
    func willReplace(_ target: String, path: String) throws {
        lock.lock(); defer { lock.unlock() }
        if let identity = Identity(target), let input = inputs[identity] {
            throw Self.collision(path, path, isInput: input)
        }
        guard !written.contains(where: { $0.target == target }) else { return }
        guard FileSystem.kind(target, followLinks: false) == .regular else {
            written.append(Written(target: target, original: nil))
            return
        }
        let name = (target as NSString).lastPathComponent
        let folder = AtomicFile.folder(of: target)
        let keep = (folder as NSString).appendingPathComponent(AtomicFile.temporaryName(of: name))
        if link(target, keep) != 0 {
            guard let bytes = try? FileBytes.read(target, asInput: false) else {
                throw FileWriteError(path: path, reason: "its current contents could not be kept for an undo if the "
                    + "command fails: \(FileSystem.Errno(errno).sentence)")
            }
            try AtomicFile.writeUnjournaled(Data(bytes), to: keep)
        }
        written.append(Written(target: target, original: keep))
    }

    /// After `AtomicFile.createFolder` made `path`.
    func didCreateFolder(_ path: String) {
        lock.lock(); defer { lock.unlock() }
        createdFolders.append(path)
    }

    // MARK: - End

    /// The command succeeded: keeps every write, drops the kept originals, closes the transaction.
    public func commit() {
        finish { for w in written { if let original = w.original { unlink(original) } } }
    }

    /// The command failed: restores every replaced file, removes every created file and (empty) folder, closes the
    /// transaction. Best effort: a step that fails does not stop the others.
    public func rollBack() {
        finish {
            for w in written.reversed() {
                if let original = w.original { rename(original, w.target) } else { unlink(w.target) }
            }
            for folder in createdFolders.reversed() { rmdir(folder) }
        }
    }

    private func finish(_ body: () -> Void) {
        lock.lock()
        body()
        written = []
        createdFolders = []
        lock.unlock()
        Self.lock.lock()
        if Self.open === self { Self.open = nil }
        Self.lock.unlock()
    }
}
