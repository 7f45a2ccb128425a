import Foundation
import Testing
import TestSupport

@Suite(.ownThread) struct DeployTests {
    /// `systemd-analyze verify` on the unit files, with the executable paths pointed at the built ones.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/systemd-analyze")))
    func systemdUnitsVerify() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("units-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let built = productsDirectory().appendingPathComponent("leefbaar-etl").path
        for unit in ["leefbaar-etl.service", "leefbaar-etl.timer"] {
            let text = try String(contentsOf: packageRoot().appendingPathComponent("Deploy/systemd/\(unit)"), encoding: .utf8)
            try text.replacingOccurrences(of: "/usr/local/bin/leefbaar-etl", with: built)
                .write(to: dir.appendingPathComponent(unit), atomically: true, encoding: .utf8)
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/systemd-analyze")
        process.arguments = ["verify", dir.appendingPathComponent("leefbaar-etl.service").path, dir.appendingPathComponent("leefbaar-etl.timer").path]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(output)")
        #expect(!output.contains("leefbaar-etl.service:"), "\(output)")
    }
}
