import Logging
import NianbaoKit
import ServiceLifecycle

/// The check workers: up to `workers` tasks (as the configuration in force says), each taking
/// files from the queue as fast as it finishes them. A stop lets each worker finish the file
/// in hand; files still queued stay in `work/` and are checked on the next start.
struct CheckWorkersService: Service {
    let current: CurrentConfiguration
    let state: RunState
    let notifier: Notifier
    let logger: Logger
    let index: ReportIndex
    let summary: FolderSummary

    func run() async throws {
        let publishing = Publishing(logger: logger, state: state, index: index, summary: summary)
        let state = self.state
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                for await _ in state.work.stream {
                    while !state.isStopping, state.runningCount < current.config.workers, state.queuedCount > 0 {
                        state.startRunning()
                        group.addTask {
                            while !state.isStopping, let file = state.dequeue() {
                                let published = await publishing.process(file)
                                state.end(file.name, failed: !published)
                            }
                            state.finishRunning()
                        }
                    }
                }
                // claimed but not started: they stay in work/ and are checked on the next start
                for file in state.drainQueue() { state.end(file.name, failed: false) }
            }
        } onGracefulShutdown: {
            announceStop(state: state, notifier: notifier, logger: logger, config: current.config)
            state.work.close()
        }
    }
}
