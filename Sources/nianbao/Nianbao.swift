import ArgumentParser
@main struct Nianbao: ParsableCommand { func run() {} }
