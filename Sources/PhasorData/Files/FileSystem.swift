#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// What the operating system says about a path, in words a user can act on. Reading and writing go through POSIX
// calls (not Foundation's Data/FileHandle), so a failure is known by its errno and becomes one true sentence —
// "permission denied", "no space left on the device", "is a named pipe (FIFO)" — instead of Foundation's
// "You don't have permission" for a FIFO or an `NSCocoaErrorDomain Code=…` dump.

enum FileSystem {
    /// The type of a file system object (st_mode & S_IFMT).
    enum Kind: Equatable {
        case regular, directory, fifo, characterDevice, blockDevice, socket, symbolicLink, other

        init(mode: mode_t) {
            switch mode & S_IFMT {
            case S_IFREG: self = .regular
            case S_IFDIR: self = .directory
            case S_IFIFO: self = .fifo
            case S_IFCHR: self = .characterDevice
            case S_IFBLK: self = .blockDevice
            case S_IFSOCK: self = .socket
            case S_IFLNK: self = .symbolicLink
            default: self = .other
            }
        }

        /// "a named pipe (FIFO)", … (for "X is …, not a regular file").
        var phrase: String {
            switch self {
            case .regular: return "a regular file"
            case .directory: return "a folder"
            case .fifo: return "a named pipe (FIFO)"
            case .characterDevice: return "a character device"
            case .blockDevice: return "a block device"
            case .socket: return "a socket"
            case .symbolicLink: return "a symbolic link"
            case .other: return "a special file"
            }
        }
    }

    /// stat (following symbolic links) or lstat: the status, or the errno.
    static func status(_ path: String, followLinks: Bool = true) -> Result<stat, Errno> {
        var s = stat()
        let r = followLinks ? stat(path, &s) : lstat(path, &s)
        return r == 0 ? .success(s) : .failure(Errno(errno))
    }

    /// The kind of object at `path`, or nil if there is none (or it cannot be examined).
    static func kind(_ path: String, followLinks: Bool = true) -> Kind? {
        if case let .success(s) = status(path, followLinks: followLinks) { return Kind(mode: s.st_mode) }
        return nil
    }

    /// An errno with a sentence for it.
    struct Errno: Error, Equatable {
        let code: Int32
        init(_ code: Int32) { self.code = code }

        /// Lower-case, no trailing period: "permission denied", "no space left on the device", …
        var sentence: String {
            switch code {
            case ENOENT: return "no such file or folder"
            case EACCES, EPERM: return "permission denied"
            case ENOTDIR: return "a part of the path is not a folder"
            case EISDIR: return "is a folder, not a file"
            case ELOOP: return "too many levels of symbolic links"
            case ENAMETOOLONG: return "the path or a name in it is longer than the file system allows"
            case ENOSPC: return "no space left on the device"
            case EDQUOT: return "disk quota exceeded"
            case EROFS: return "the file system is read-only"
            case EEXIST: return "a file of that name already exists"
            case EXDEV: return "the temporary file and the destination are on different file systems"
            case EIO: return "input/output error (a failing disk or lost network share)"
            case EFBIG: return "the file is larger than the file system allows"
            default:
                let text = String(cString: strerror(code))
                return text.prefix(1).lowercased() + text.dropFirst()
            }
        }
    }

    /// Calls `body` until it does not fail with EINTR.
    @inline(__always)
    static func retrying<T: BinaryInteger>(_ body: () -> T) -> T {
        while true {
            let r = body()
            if r >= 0 || errno != EINTR { return r }
        }
    }
}
