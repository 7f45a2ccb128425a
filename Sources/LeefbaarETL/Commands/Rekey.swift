import ArgumentParser
import CLICore
import Foundation
import Ingest
import Warehouse

/// `leefbaar-etl rekey`: a new pseudonymisation key, in one transaction (docs/privacy.md).
struct RekeyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rekey",
        abstract: "Change the pseudonymisation key: every pseudonym is hashed again with the new key, in one transaction.",
        discussion: """
            The current key chain comes from LEEFBAAR_HASH_KEY_FILE (a text file, one key per line, oldest first). \
            After the database is updated, the new key is added as the file's last line, so later loads give the same \
            pseudonyms. The original values are not needed; a leaked old key alone cannot produce the new pseudonyms.
            """
    )
    @OptionGroup var connection: ConnectionOptions
    @Option(help: "A file holding the new key (text, at least 16 characters, e.g. from openssl rand -hex 32).")
    var newKeyFile: String

    func run() throws {
        guard let keyFile = ProcessInfo.processInfo.environment["LEEFBAAR_HASH_KEY_FILE"], !keyFile.isEmpty else {
            throw WarehouseError(
                .invalidInput, "rekey extends the key chain in LEEFBAAR_HASH_KEY_FILE: set it to the key file in use (a text file, one key per line)")
        }
        guard let current = FileManager.default.contents(atPath: keyFile), let currentText = PrivacyGuard.keyText(current) else {
            throw WarehouseError(.invalidInput, "\(keyFile) is no text key file (one key per line); a chain cannot be added to raw key bytes")
        }
        guard let new = FileManager.default.contents(atPath: newKeyFile),
            let newText = PrivacyGuard.keyText(new)?
                .trimmingCharacters(in: .newlines), !newText.contains(where: \.isNewline)
        else {
            throw WarehouseError(.invalidInput, "\(newKeyFile) must hold one key on one line of text (e.g. openssl rand -hex 32)")
        }
        let outcome = try Rekey.run(try connection.connect(), sql: try connection.sql(), newKey: Data(newText.utf8))
        for (column, n) in outcome.rows.sorted(by: { $0.key < $1.key }) { print("\(column): \(n) rows re-pseudonymised") }
        let chain = currentText.hasSuffix("\n") ? currentText : currentText + "\n"
        do {
            try (chain + newText + "\n").write(toFile: keyFile, atomically: true, encoding: .utf8)
            chmod(keyFile, 0o600)
        } catch {
            throw WarehouseError(
                .missingFile,
                "the database now uses the new key chain (fingerprint \(outcome.newFingerprint)), but \(keyFile) could not be written: add the new key as its last line by hand, or loads are refused"
            )
        }
        print("key chain fingerprint \(outcome.oldFingerprint) → \(outcome.newFingerprint); the new key is the last line of \(keyFile)")
    }
}
