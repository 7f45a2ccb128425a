/// The version both executables report.
public let leefbaarVersion = "0.1.0"
