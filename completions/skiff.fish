# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_skiff_global_optspecs
    string join \n root= runroot= log-level= h/help V/version
end

function __fish_skiff_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_skiff_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_skiff_using_subcommand
    set -l cmd (__fish_skiff_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c skiff -n "__fish_skiff_needs_command" -l root -d 'Path to the store (default $XDG_DATA_HOME/skiff)' -r -F
complete -c skiff -n "__fish_skiff_needs_command" -l runroot -d 'Path to the run-state directory (default $XDG_RUNTIME_DIR/skiff)' -r -F
complete -c skiff -n "__fish_skiff_needs_command" -l log-level -d 'Log messages at this level and above' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c skiff -n "__fish_skiff_needs_command" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_needs_command" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "run" -d 'Run a command in a new container'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "create" -d 'Create a container without starting it'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "start" -d 'Start containers'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "stop" -d 'Stop running containers (stop signal, then SIGKILL after a timeout)'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "restart" -d 'Stop and start containers again'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "kill" -d 'Send a signal to containers'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "rm" -d 'Remove containers'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "ps" -d 'List containers'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "wait" -d 'Block until containers stop and print their exit codes'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "logs" -d 'Show a container\'s output'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "exec" -d 'Run a process in a running container'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "attach" -d 'Attach stdin, stdout and stderr to a running container'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "rename" -d 'Rename a container'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "cp" -d 'Copy files between a container and the host'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "top" -d 'Display the processes of a container'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "port" -d 'List a container\'s published ports'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "container" -d 'Manage containers'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "volume" -d 'Manage volumes'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "build" -d 'Build an image from a Dockerfile'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "commit" -d 'Create a new image from a container\'s changes'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "history" -d 'Show the history of an image'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "pull" -d 'Pull an image from a registry'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "push" -d 'Push an image to a registry'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "login" -d 'Log in to a registry (credentials are checked, then stored)'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "logout" -d 'Remove the stored credentials of a registry'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "save" -d 'Save images to an archive (docker-archive, oci-archive or oci-dir)'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "load" -d 'Load images from a docker-archive or oci-archive (gzip-compressed or not)'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "export" -d 'Export a container\'s filesystem as a tar archive'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "import" -d 'Create an image from a tarball (a file, a URL or stdin)'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "images" -d 'List images in local storage'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "list" -d 'List images in local storage'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "image" -d 'Manage images'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "inspect" -d 'Display the configuration of containers or images'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "tag" -d 'Add an additional name to a local image'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "rmi" -d 'Remove one or more images from local storage'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "info" -d 'Display skiff system information'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "version" -d 'Display the skiff version information'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "system" -d 'Manage skiff'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c skiff -n "__fish_skiff_using_subcommand run" -l name -d 'Assign a name to the container' -r
complete -c skiff -n "__fish_skiff_using_subcommand run" -s e -l env -d 'Set environment variables (KEY=value, or KEY to copy it from the host)' -r
complete -c skiff -n "__fish_skiff_using_subcommand run" -l env-file -d 'Read environment variables from a file' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand run" -s w -l workdir -d 'Working directory inside the container' -r
complete -c skiff -n "__fish_skiff_using_subcommand run" -s u -l user -d 'Run as user[:group] (names or ids from the container\'s /etc/passwd and /etc/group)' -r
complete -c skiff -n "__fish_skiff_using_subcommand run" -l entrypoint -d 'Override the image\'s entrypoint' -r
complete -c skiff -n "__fish_skiff_using_subcommand run" -s h -l hostname -d 'Container host name' -r
complete -c skiff -n "__fish_skiff_using_subcommand run" -s v -l volume -d 'Bind mount or volume: /host:/ctr[:ro] or name:/ctr[:ro]' -r
complete -c skiff -n "__fish_skiff_using_subcommand run" -l mount -d 'Mount: type=bind|volume|tmpfs,source=…,target=…[,readonly]' -r
complete -c skiff -n "__fish_skiff_using_subcommand run" -l tmpfs -d 'Mount a tmpfs: /path[:options]' -r
complete -c skiff -n "__fish_skiff_using_subcommand run" -l network -l net -d 'Network mode: none, host, pasta, slirp4netns, or the default private network (skiff\'s own stack)' -r
complete -c skiff -n "__fish_skiff_using_subcommand run" -l restart -d 'Restart policy: no, on-failure[:N], always, unless-stopped' -r
complete -c skiff -n "__fish_skiff_using_subcommand run" -l cap-add -d 'Add Linux capabilities' -r
complete -c skiff -n "__fish_skiff_using_subcommand run" -l cap-drop -d 'Drop Linux capabilities' -r
complete -c skiff -n "__fish_skiff_using_subcommand run" -l security-opt -d 'Security options (no-new-privileges)' -r
complete -c skiff -n "__fish_skiff_using_subcommand run" -l ulimit -d 'Resource limits: name=soft[:hard]' -r
complete -c skiff -n "__fish_skiff_using_subcommand run" -l log-opt -d 'Log options: max-size=SIZE (e.g. 10m) truncates the log before it grows past SIZE' -r
complete -c skiff -n "__fish_skiff_using_subcommand run" -l group-add -d 'Additional groups (numeric ids)' -r
complete -c skiff -n "__fish_skiff_using_subcommand run" -s l -l label -d 'Labels (key=value)' -r
complete -c skiff -n "__fish_skiff_using_subcommand run" -l stop-signal -d 'Signal to stop the container' -r
complete -c skiff -n "__fish_skiff_using_subcommand run" -l stop-timeout -d 'Seconds to wait before killing the container on stop' -r
complete -c skiff -n "__fish_skiff_using_subcommand run" -s m -l memory -d 'Memory limit (needs a delegated cgroup; otherwise a warning)' -r
complete -c skiff -n "__fish_skiff_using_subcommand run" -l cpus -d 'CPU limit (needs a delegated cgroup; otherwise a warning)' -r
complete -c skiff -n "__fish_skiff_using_subcommand run" -l pids-limit -d 'Process limit (needs a delegated cgroup; otherwise a warning)' -r
complete -c skiff -n "__fish_skiff_using_subcommand run" -s p -l publish -d 'Publish a container port: [IP:][HOST_PORT:]PORT[/tcp|udp], ranges too' -r
complete -c skiff -n "__fish_skiff_using_subcommand run" -l pull -d 'When to pull the image: always, missing, never, newer' -r -f -a "always\t''
missing\t''
never\t''
newer\t''"
complete -c skiff -n "__fish_skiff_using_subcommand run" -l platform -d 'Platform of the image to pull' -r
complete -c skiff -n "__fish_skiff_using_subcommand run" -l tls-verify -d 'Require HTTPS and verify certificates (plain HTTP is used for loopback registries)' -r -f -a "true\t''
false\t''"
complete -c skiff -n "__fish_skiff_using_subcommand run" -l authfile -d 'Path of the authentication file (default: $REGISTRY_AUTH_FILE, then $XDG_RUNTIME_DIR/containers/auth.json)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand run" -l root -d 'Path to the store (default $XDG_DATA_HOME/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand run" -l runroot -d 'Path to the run-state directory (default $XDG_RUNTIME_DIR/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand run" -l log-level -d 'Log messages at this level and above' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c skiff -n "__fish_skiff_using_subcommand run" -s d -l detach -d 'Run in the background and print the container id'
complete -c skiff -n "__fish_skiff_using_subcommand run" -l help -d 'Print help (`-h` is --hostname, as in Docker and Podman)'
complete -c skiff -n "__fish_skiff_using_subcommand run" -s i -l interactive -d 'Keep stdin open'
complete -c skiff -n "__fish_skiff_using_subcommand run" -s t -l tty -d 'Allocate a pseudo-terminal'
complete -c skiff -n "__fish_skiff_using_subcommand run" -l rm -d 'Remove the container when it exits'
complete -c skiff -n "__fish_skiff_using_subcommand run" -l init -d 'Run a minimal init as pid 1 that reaps zombies and forwards signals'
complete -c skiff -n "__fish_skiff_using_subcommand run" -l read-only -d 'Mount the root filesystem read-only'
complete -c skiff -n "__fish_skiff_using_subcommand run" -l privileged -d 'Give the container all capabilities and no masked paths'
complete -c skiff -n "__fish_skiff_using_subcommand run" -s P -l publish-all -d 'Publish every port the image exposes on a free host port'
complete -c skiff -n "__fish_skiff_using_subcommand run" -s q -l quiet -d 'Suppress pull progress'
complete -c skiff -n "__fish_skiff_using_subcommand run" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand create" -l name -d 'Assign a name to the container' -r
complete -c skiff -n "__fish_skiff_using_subcommand create" -s e -l env -d 'Set environment variables (KEY=value, or KEY to copy it from the host)' -r
complete -c skiff -n "__fish_skiff_using_subcommand create" -l env-file -d 'Read environment variables from a file' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand create" -s w -l workdir -d 'Working directory inside the container' -r
complete -c skiff -n "__fish_skiff_using_subcommand create" -s u -l user -d 'Run as user[:group] (names or ids from the container\'s /etc/passwd and /etc/group)' -r
complete -c skiff -n "__fish_skiff_using_subcommand create" -l entrypoint -d 'Override the image\'s entrypoint' -r
complete -c skiff -n "__fish_skiff_using_subcommand create" -s h -l hostname -d 'Container host name' -r
complete -c skiff -n "__fish_skiff_using_subcommand create" -s v -l volume -d 'Bind mount or volume: /host:/ctr[:ro] or name:/ctr[:ro]' -r
complete -c skiff -n "__fish_skiff_using_subcommand create" -l mount -d 'Mount: type=bind|volume|tmpfs,source=…,target=…[,readonly]' -r
complete -c skiff -n "__fish_skiff_using_subcommand create" -l tmpfs -d 'Mount a tmpfs: /path[:options]' -r
complete -c skiff -n "__fish_skiff_using_subcommand create" -l network -l net -d 'Network mode: none, host, pasta, slirp4netns, or the default private network (skiff\'s own stack)' -r
complete -c skiff -n "__fish_skiff_using_subcommand create" -l restart -d 'Restart policy: no, on-failure[:N], always, unless-stopped' -r
complete -c skiff -n "__fish_skiff_using_subcommand create" -l cap-add -d 'Add Linux capabilities' -r
complete -c skiff -n "__fish_skiff_using_subcommand create" -l cap-drop -d 'Drop Linux capabilities' -r
complete -c skiff -n "__fish_skiff_using_subcommand create" -l security-opt -d 'Security options (no-new-privileges)' -r
complete -c skiff -n "__fish_skiff_using_subcommand create" -l ulimit -d 'Resource limits: name=soft[:hard]' -r
complete -c skiff -n "__fish_skiff_using_subcommand create" -l log-opt -d 'Log options: max-size=SIZE (e.g. 10m) truncates the log before it grows past SIZE' -r
complete -c skiff -n "__fish_skiff_using_subcommand create" -l group-add -d 'Additional groups (numeric ids)' -r
complete -c skiff -n "__fish_skiff_using_subcommand create" -s l -l label -d 'Labels (key=value)' -r
complete -c skiff -n "__fish_skiff_using_subcommand create" -l stop-signal -d 'Signal to stop the container' -r
complete -c skiff -n "__fish_skiff_using_subcommand create" -l stop-timeout -d 'Seconds to wait before killing the container on stop' -r
complete -c skiff -n "__fish_skiff_using_subcommand create" -s m -l memory -d 'Memory limit (needs a delegated cgroup; otherwise a warning)' -r
complete -c skiff -n "__fish_skiff_using_subcommand create" -l cpus -d 'CPU limit (needs a delegated cgroup; otherwise a warning)' -r
complete -c skiff -n "__fish_skiff_using_subcommand create" -l pids-limit -d 'Process limit (needs a delegated cgroup; otherwise a warning)' -r
complete -c skiff -n "__fish_skiff_using_subcommand create" -s p -l publish -d 'Publish a container port: [IP:][HOST_PORT:]PORT[/tcp|udp], ranges too' -r
complete -c skiff -n "__fish_skiff_using_subcommand create" -l pull -d 'When to pull the image: always, missing, never, newer' -r -f -a "always\t''
missing\t''
never\t''
newer\t''"
complete -c skiff -n "__fish_skiff_using_subcommand create" -l platform -d 'Platform of the image to pull' -r
complete -c skiff -n "__fish_skiff_using_subcommand create" -l tls-verify -d 'Require HTTPS and verify certificates (plain HTTP is used for loopback registries)' -r -f -a "true\t''
false\t''"
complete -c skiff -n "__fish_skiff_using_subcommand create" -l authfile -d 'Path of the authentication file (default: $REGISTRY_AUTH_FILE, then $XDG_RUNTIME_DIR/containers/auth.json)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand create" -l root -d 'Path to the store (default $XDG_DATA_HOME/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand create" -l runroot -d 'Path to the run-state directory (default $XDG_RUNTIME_DIR/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand create" -l log-level -d 'Log messages at this level and above' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c skiff -n "__fish_skiff_using_subcommand create" -l help -d 'Print help (`-h` is --hostname, as in Docker and Podman)'
complete -c skiff -n "__fish_skiff_using_subcommand create" -s i -l interactive -d 'Keep stdin open'
complete -c skiff -n "__fish_skiff_using_subcommand create" -s t -l tty -d 'Allocate a pseudo-terminal'
complete -c skiff -n "__fish_skiff_using_subcommand create" -l rm -d 'Remove the container when it exits'
complete -c skiff -n "__fish_skiff_using_subcommand create" -l init -d 'Run a minimal init as pid 1 that reaps zombies and forwards signals'
complete -c skiff -n "__fish_skiff_using_subcommand create" -l read-only -d 'Mount the root filesystem read-only'
complete -c skiff -n "__fish_skiff_using_subcommand create" -l privileged -d 'Give the container all capabilities and no masked paths'
complete -c skiff -n "__fish_skiff_using_subcommand create" -s P -l publish-all -d 'Publish every port the image exposes on a free host port'
complete -c skiff -n "__fish_skiff_using_subcommand create" -s q -l quiet -d 'Suppress pull progress'
complete -c skiff -n "__fish_skiff_using_subcommand create" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand start" -l root -d 'Path to the store (default $XDG_DATA_HOME/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand start" -l runroot -d 'Path to the run-state directory (default $XDG_RUNTIME_DIR/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand start" -l log-level -d 'Log messages at this level and above' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c skiff -n "__fish_skiff_using_subcommand start" -s a -l attach -d 'Attach to the container\'s output and wait for it'
complete -c skiff -n "__fish_skiff_using_subcommand start" -s i -l interactive -d 'Attach stdin (with -a)'
complete -c skiff -n "__fish_skiff_using_subcommand start" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand start" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand stop" -s t -l time -l timeout -d 'Seconds to wait before killing the container' -r
complete -c skiff -n "__fish_skiff_using_subcommand stop" -l root -d 'Path to the store (default $XDG_DATA_HOME/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand stop" -l runroot -d 'Path to the run-state directory (default $XDG_RUNTIME_DIR/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand stop" -l log-level -d 'Log messages at this level and above' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c skiff -n "__fish_skiff_using_subcommand stop" -s a -l all -d 'Stop every running container'
complete -c skiff -n "__fish_skiff_using_subcommand stop" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand stop" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand restart" -s t -l time -l timeout -d 'Seconds to wait before killing the container' -r
complete -c skiff -n "__fish_skiff_using_subcommand restart" -l root -d 'Path to the store (default $XDG_DATA_HOME/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand restart" -l runroot -d 'Path to the run-state directory (default $XDG_RUNTIME_DIR/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand restart" -l log-level -d 'Log messages at this level and above' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c skiff -n "__fish_skiff_using_subcommand restart" -s a -l all -d 'Stop every running container'
complete -c skiff -n "__fish_skiff_using_subcommand restart" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand restart" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand kill" -s s -l signal -d 'Signal to send' -r
complete -c skiff -n "__fish_skiff_using_subcommand kill" -l root -d 'Path to the store (default $XDG_DATA_HOME/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand kill" -l runroot -d 'Path to the run-state directory (default $XDG_RUNTIME_DIR/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand kill" -l log-level -d 'Log messages at this level and above' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c skiff -n "__fish_skiff_using_subcommand kill" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand kill" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand rm" -l root -d 'Path to the store (default $XDG_DATA_HOME/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand rm" -l runroot -d 'Path to the run-state directory (default $XDG_RUNTIME_DIR/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand rm" -l log-level -d 'Log messages at this level and above' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c skiff -n "__fish_skiff_using_subcommand rm" -s f -l force -d 'Stop running containers first'
complete -c skiff -n "__fish_skiff_using_subcommand rm" -s v -l volumes -d 'Remove anonymous volumes too'
complete -c skiff -n "__fish_skiff_using_subcommand rm" -s a -l all -d 'Remove every container'
complete -c skiff -n "__fish_skiff_using_subcommand rm" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand rm" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand ps" -s f -l filter -d 'Filter: status=, name=, id=, label=, ancestor=, exited=' -r
complete -c skiff -n "__fish_skiff_using_subcommand ps" -l format -d 'Pretty-print with a Go template, `json`, or `table …`' -r
complete -c skiff -n "__fish_skiff_using_subcommand ps" -l root -d 'Path to the store (default $XDG_DATA_HOME/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand ps" -l runroot -d 'Path to the run-state directory (default $XDG_RUNTIME_DIR/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand ps" -l log-level -d 'Log messages at this level and above' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c skiff -n "__fish_skiff_using_subcommand ps" -s a -l all -d 'Show all containers (default: running only)'
complete -c skiff -n "__fish_skiff_using_subcommand ps" -s q -l quiet -d 'Show only container ids'
complete -c skiff -n "__fish_skiff_using_subcommand ps" -l no-trunc -d 'Do not truncate ids and commands'
complete -c skiff -n "__fish_skiff_using_subcommand ps" -s l -l latest -d 'Show only the latest container'
complete -c skiff -n "__fish_skiff_using_subcommand ps" -s n -l noheading -d 'Do not print column headings'
complete -c skiff -n "__fish_skiff_using_subcommand ps" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand ps" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand wait" -l root -d 'Path to the store (default $XDG_DATA_HOME/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand wait" -l runroot -d 'Path to the run-state directory (default $XDG_RUNTIME_DIR/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand wait" -l log-level -d 'Log messages at this level and above' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c skiff -n "__fish_skiff_using_subcommand wait" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand wait" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand logs" -s n -l tail -d 'Show the last N lines' -r
complete -c skiff -n "__fish_skiff_using_subcommand logs" -l since -d 'Show lines since a time (RFC 3339, Unix seconds, or a duration like 10m)' -r
complete -c skiff -n "__fish_skiff_using_subcommand logs" -l until -d 'Show lines before a time' -r
complete -c skiff -n "__fish_skiff_using_subcommand logs" -l root -d 'Path to the store (default $XDG_DATA_HOME/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand logs" -l runroot -d 'Path to the run-state directory (default $XDG_RUNTIME_DIR/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand logs" -l log-level -d 'Log messages at this level and above' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c skiff -n "__fish_skiff_using_subcommand logs" -s f -l follow -d 'Follow the log until the container exits'
complete -c skiff -n "__fish_skiff_using_subcommand logs" -s t -l timestamps -d 'Show timestamps'
complete -c skiff -n "__fish_skiff_using_subcommand logs" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand logs" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand exec" -s e -l env -d 'Set environment variables' -r
complete -c skiff -n "__fish_skiff_using_subcommand exec" -s u -l user -d 'Run as user[:group]' -r
complete -c skiff -n "__fish_skiff_using_subcommand exec" -s w -l workdir -d 'Working directory' -r
complete -c skiff -n "__fish_skiff_using_subcommand exec" -l root -d 'Path to the store (default $XDG_DATA_HOME/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand exec" -l runroot -d 'Path to the run-state directory (default $XDG_RUNTIME_DIR/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand exec" -l log-level -d 'Log messages at this level and above' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c skiff -n "__fish_skiff_using_subcommand exec" -s i -l interactive -d 'Keep stdin open'
complete -c skiff -n "__fish_skiff_using_subcommand exec" -s t -l tty -d 'Allocate a pseudo-terminal'
complete -c skiff -n "__fish_skiff_using_subcommand exec" -s d -l detach -d 'Run in the background'
complete -c skiff -n "__fish_skiff_using_subcommand exec" -l privileged -d 'Give the process all capabilities'
complete -c skiff -n "__fish_skiff_using_subcommand exec" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand exec" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand attach" -l detach-keys -d 'Key sequence that detaches (default ctrl-p,ctrl-q)' -r
complete -c skiff -n "__fish_skiff_using_subcommand attach" -l sig-proxy -d 'Forward received signals to the container (non-tty only)' -r -f -a "true\t''
false\t''"
complete -c skiff -n "__fish_skiff_using_subcommand attach" -l root -d 'Path to the store (default $XDG_DATA_HOME/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand attach" -l runroot -d 'Path to the run-state directory (default $XDG_RUNTIME_DIR/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand attach" -l log-level -d 'Log messages at this level and above' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c skiff -n "__fish_skiff_using_subcommand attach" -l no-stdin -d 'Do not attach stdin'
complete -c skiff -n "__fish_skiff_using_subcommand attach" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand attach" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand rename" -l root -d 'Path to the store (default $XDG_DATA_HOME/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand rename" -l runroot -d 'Path to the run-state directory (default $XDG_RUNTIME_DIR/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand rename" -l log-level -d 'Log messages at this level and above' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c skiff -n "__fish_skiff_using_subcommand rename" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand rename" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand cp" -l root -d 'Path to the store (default $XDG_DATA_HOME/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand cp" -l runroot -d 'Path to the run-state directory (default $XDG_RUNTIME_DIR/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand cp" -l log-level -d 'Log messages at this level and above' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c skiff -n "__fish_skiff_using_subcommand cp" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand cp" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand top" -l root -d 'Path to the store (default $XDG_DATA_HOME/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand top" -l runroot -d 'Path to the run-state directory (default $XDG_RUNTIME_DIR/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand top" -l log-level -d 'Log messages at this level and above' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c skiff -n "__fish_skiff_using_subcommand top" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand top" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand port" -l root -d 'Path to the store (default $XDG_DATA_HOME/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand port" -l runroot -d 'Path to the run-state directory (default $XDG_RUNTIME_DIR/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand port" -l log-level -d 'Log messages at this level and above' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c skiff -n "__fish_skiff_using_subcommand port" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand port" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand container; and not __fish_seen_subcommand_from run create start stop restart kill rm ls ps wait logs exec inspect rename top port prune export help" -l root -d 'Path to the store (default $XDG_DATA_HOME/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and not __fish_seen_subcommand_from run create start stop restart kill rm ls ps wait logs exec inspect rename top port prune export help" -l runroot -d 'Path to the run-state directory (default $XDG_RUNTIME_DIR/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and not __fish_seen_subcommand_from run create start stop restart kill rm ls ps wait logs exec inspect rename top port prune export help" -l log-level -d 'Log messages at this level and above' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c skiff -n "__fish_skiff_using_subcommand container; and not __fish_seen_subcommand_from run create start stop restart kill rm ls ps wait logs exec inspect rename top port prune export help" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand container; and not __fish_seen_subcommand_from run create start stop restart kill rm ls ps wait logs exec inspect rename top port prune export help" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand container; and not __fish_seen_subcommand_from run create start stop restart kill rm ls ps wait logs exec inspect rename top port prune export help" -f -a "run" -d 'Run a command in a new container'
complete -c skiff -n "__fish_skiff_using_subcommand container; and not __fish_seen_subcommand_from run create start stop restart kill rm ls ps wait logs exec inspect rename top port prune export help" -f -a "create" -d 'Create a container without starting it'
complete -c skiff -n "__fish_skiff_using_subcommand container; and not __fish_seen_subcommand_from run create start stop restart kill rm ls ps wait logs exec inspect rename top port prune export help" -f -a "start" -d 'Start containers'
complete -c skiff -n "__fish_skiff_using_subcommand container; and not __fish_seen_subcommand_from run create start stop restart kill rm ls ps wait logs exec inspect rename top port prune export help" -f -a "stop" -d 'Stop running containers'
complete -c skiff -n "__fish_skiff_using_subcommand container; and not __fish_seen_subcommand_from run create start stop restart kill rm ls ps wait logs exec inspect rename top port prune export help" -f -a "restart" -d 'Stop and start containers again'
complete -c skiff -n "__fish_skiff_using_subcommand container; and not __fish_seen_subcommand_from run create start stop restart kill rm ls ps wait logs exec inspect rename top port prune export help" -f -a "kill" -d 'Send a signal to containers'
complete -c skiff -n "__fish_skiff_using_subcommand container; and not __fish_seen_subcommand_from run create start stop restart kill rm ls ps wait logs exec inspect rename top port prune export help" -f -a "rm" -d 'Remove containers'
complete -c skiff -n "__fish_skiff_using_subcommand container; and not __fish_seen_subcommand_from run create start stop restart kill rm ls ps wait logs exec inspect rename top port prune export help" -f -a "ls" -d 'List containers'
complete -c skiff -n "__fish_skiff_using_subcommand container; and not __fish_seen_subcommand_from run create start stop restart kill rm ls ps wait logs exec inspect rename top port prune export help" -f -a "ps" -d 'List containers'
complete -c skiff -n "__fish_skiff_using_subcommand container; and not __fish_seen_subcommand_from run create start stop restart kill rm ls ps wait logs exec inspect rename top port prune export help" -f -a "wait" -d 'Block until containers stop'
complete -c skiff -n "__fish_skiff_using_subcommand container; and not __fish_seen_subcommand_from run create start stop restart kill rm ls ps wait logs exec inspect rename top port prune export help" -f -a "logs" -d 'Show a container\'s output'
complete -c skiff -n "__fish_skiff_using_subcommand container; and not __fish_seen_subcommand_from run create start stop restart kill rm ls ps wait logs exec inspect rename top port prune export help" -f -a "exec" -d 'Run a process in a running container'
complete -c skiff -n "__fish_skiff_using_subcommand container; and not __fish_seen_subcommand_from run create start stop restart kill rm ls ps wait logs exec inspect rename top port prune export help" -f -a "inspect" -d 'Display the configuration of containers'
complete -c skiff -n "__fish_skiff_using_subcommand container; and not __fish_seen_subcommand_from run create start stop restart kill rm ls ps wait logs exec inspect rename top port prune export help" -f -a "rename" -d 'Rename a container'
complete -c skiff -n "__fish_skiff_using_subcommand container; and not __fish_seen_subcommand_from run create start stop restart kill rm ls ps wait logs exec inspect rename top port prune export help" -f -a "top" -d 'Display the processes of a container'
complete -c skiff -n "__fish_skiff_using_subcommand container; and not __fish_seen_subcommand_from run create start stop restart kill rm ls ps wait logs exec inspect rename top port prune export help" -f -a "port" -d 'List a container\'s published ports'
complete -c skiff -n "__fish_skiff_using_subcommand container; and not __fish_seen_subcommand_from run create start stop restart kill rm ls ps wait logs exec inspect rename top port prune export help" -f -a "prune" -d 'Remove all stopped containers'
complete -c skiff -n "__fish_skiff_using_subcommand container; and not __fish_seen_subcommand_from run create start stop restart kill rm ls ps wait logs exec inspect rename top port prune export help" -f -a "export" -d 'Export a container\'s filesystem as a tar archive'
complete -c skiff -n "__fish_skiff_using_subcommand container; and not __fish_seen_subcommand_from run create start stop restart kill rm ls ps wait logs exec inspect rename top port prune export help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -l name -d 'Assign a name to the container' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -s e -l env -d 'Set environment variables (KEY=value, or KEY to copy it from the host)' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -l env-file -d 'Read environment variables from a file' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -s w -l workdir -d 'Working directory inside the container' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -s u -l user -d 'Run as user[:group] (names or ids from the container\'s /etc/passwd and /etc/group)' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -l entrypoint -d 'Override the image\'s entrypoint' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -s h -l hostname -d 'Container host name' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -s v -l volume -d 'Bind mount or volume: /host:/ctr[:ro] or name:/ctr[:ro]' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -l mount -d 'Mount: type=bind|volume|tmpfs,source=…,target=…[,readonly]' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -l tmpfs -d 'Mount a tmpfs: /path[:options]' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -l network -l net -d 'Network mode: none, host, pasta, slirp4netns, or the default private network (skiff\'s own stack)' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -l restart -d 'Restart policy: no, on-failure[:N], always, unless-stopped' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -l cap-add -d 'Add Linux capabilities' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -l cap-drop -d 'Drop Linux capabilities' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -l security-opt -d 'Security options (no-new-privileges)' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -l ulimit -d 'Resource limits: name=soft[:hard]' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -l log-opt -d 'Log options: max-size=SIZE (e.g. 10m) truncates the log before it grows past SIZE' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -l group-add -d 'Additional groups (numeric ids)' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -s l -l label -d 'Labels (key=value)' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -l stop-signal -d 'Signal to stop the container' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -l stop-timeout -d 'Seconds to wait before killing the container on stop' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -s m -l memory -d 'Memory limit (needs a delegated cgroup; otherwise a warning)' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -l cpus -d 'CPU limit (needs a delegated cgroup; otherwise a warning)' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -l pids-limit -d 'Process limit (needs a delegated cgroup; otherwise a warning)' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -s p -l publish -d 'Publish a container port: [IP:][HOST_PORT:]PORT[/tcp|udp], ranges too' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -l pull -d 'When to pull the image: always, missing, never, newer' -r -f -a "always\t''
missing\t''
never\t''
newer\t''"
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -l platform -d 'Platform of the image to pull' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -l tls-verify -d 'Require HTTPS and verify certificates (plain HTTP is used for loopback registries)' -r -f -a "true\t''
false\t''"
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -l authfile -d 'Path of the authentication file (default: $REGISTRY_AUTH_FILE, then $XDG_RUNTIME_DIR/containers/auth.json)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -l root -d 'Path to the store (default $XDG_DATA_HOME/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -l runroot -d 'Path to the run-state directory (default $XDG_RUNTIME_DIR/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -l log-level -d 'Log messages at this level and above' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -s d -l detach -d 'Run in the background and print the container id'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -l help -d 'Print help (`-h` is --hostname, as in Docker and Podman)'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -s i -l interactive -d 'Keep stdin open'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -s t -l tty -d 'Allocate a pseudo-terminal'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -l rm -d 'Remove the container when it exits'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -l init -d 'Run a minimal init as pid 1 that reaps zombies and forwards signals'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -l read-only -d 'Mount the root filesystem read-only'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -l privileged -d 'Give the container all capabilities and no masked paths'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -s P -l publish-all -d 'Publish every port the image exposes on a free host port'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -s q -l quiet -d 'Suppress pull progress'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -l name -d 'Assign a name to the container' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -s e -l env -d 'Set environment variables (KEY=value, or KEY to copy it from the host)' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -l env-file -d 'Read environment variables from a file' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -s w -l workdir -d 'Working directory inside the container' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -s u -l user -d 'Run as user[:group] (names or ids from the container\'s /etc/passwd and /etc/group)' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -l entrypoint -d 'Override the image\'s entrypoint' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -s h -l hostname -d 'Container host name' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -s v -l volume -d 'Bind mount or volume: /host:/ctr[:ro] or name:/ctr[:ro]' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -l mount -d 'Mount: type=bind|volume|tmpfs,source=…,target=…[,readonly]' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -l tmpfs -d 'Mount a tmpfs: /path[:options]' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -l network -l net -d 'Network mode: none, host, pasta, slirp4netns, or the default private network (skiff\'s own stack)' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -l restart -d 'Restart policy: no, on-failure[:N], always, unless-stopped' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -l cap-add -d 'Add Linux capabilities' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -l cap-drop -d 'Drop Linux capabilities' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -l security-opt -d 'Security options (no-new-privileges)' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -l ulimit -d 'Resource limits: name=soft[:hard]' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -l log-opt -d 'Log options: max-size=SIZE (e.g. 10m) truncates the log before it grows past SIZE' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -l group-add -d 'Additional groups (numeric ids)' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -s l -l label -d 'Labels (key=value)' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -l stop-signal -d 'Signal to stop the container' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -l stop-timeout -d 'Seconds to wait before killing the container on stop' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -s m -l memory -d 'Memory limit (needs a delegated cgroup; otherwise a warning)' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -l cpus -d 'CPU limit (needs a delegated cgroup; otherwise a warning)' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -l pids-limit -d 'Process limit (needs a delegated cgroup; otherwise a warning)' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -s p -l publish -d 'Publish a container port: [IP:][HOST_PORT:]PORT[/tcp|udp], ranges too' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -l pull -d 'When to pull the image: always, missing, never, newer' -r -f -a "always\t''
missing\t''
never\t''
newer\t''"
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -l platform -d 'Platform of the image to pull' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -l tls-verify -d 'Require HTTPS and verify certificates (plain HTTP is used for loopback registries)' -r -f -a "true\t''
false\t''"
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -l authfile -d 'Path of the authentication file (default: $REGISTRY_AUTH_FILE, then $XDG_RUNTIME_DIR/containers/auth.json)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -l root -d 'Path to the store (default $XDG_DATA_HOME/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -l runroot -d 'Path to the run-state directory (default $XDG_RUNTIME_DIR/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -l log-level -d 'Log messages at this level and above' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -l help -d 'Print help (`-h` is --hostname, as in Docker and Podman)'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -s i -l interactive -d 'Keep stdin open'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -s t -l tty -d 'Allocate a pseudo-terminal'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -l rm -d 'Remove the container when it exits'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -l init -d 'Run a minimal init as pid 1 that reaps zombies and forwards signals'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -l read-only -d 'Mount the root filesystem read-only'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -l privileged -d 'Give the container all capabilities and no masked paths'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -s P -l publish-all -d 'Publish every port the image exposes on a free host port'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -s q -l quiet -d 'Suppress pull progress'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from start" -l root -d 'Path to the store (default $XDG_DATA_HOME/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from start" -l runroot -d 'Path to the run-state directory (default $XDG_RUNTIME_DIR/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from start" -l log-level -d 'Log messages at this level and above' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from start" -s a -l attach -d 'Attach to the container\'s output and wait for it'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from start" -s i -l interactive -d 'Attach stdin (with -a)'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from start" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from start" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from stop" -s t -l time -l timeout -d 'Seconds to wait before killing the container' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from stop" -l root -d 'Path to the store (default $XDG_DATA_HOME/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from stop" -l runroot -d 'Path to the run-state directory (default $XDG_RUNTIME_DIR/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from stop" -l log-level -d 'Log messages at this level and above' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from stop" -s a -l all -d 'Stop every running container'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from stop" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from stop" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from restart" -s t -l time -l timeout -d 'Seconds to wait before killing the container' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from restart" -l root -d 'Path to the store (default $XDG_DATA_HOME/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from restart" -l runroot -d 'Path to the run-state directory (default $XDG_RUNTIME_DIR/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from restart" -l log-level -d 'Log messages at this level and above' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from restart" -s a -l all -d 'Stop every running container'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from restart" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from restart" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from kill" -s s -l signal -d 'Signal to send' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from kill" -l root -d 'Path to the store (default $XDG_DATA_HOME/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from kill" -l runroot -d 'Path to the run-state directory (default $XDG_RUNTIME_DIR/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from kill" -l log-level -d 'Log messages at this level and above' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from kill" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from kill" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from rm" -l root -d 'Path to the store (default $XDG_DATA_HOME/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from rm" -l runroot -d 'Path to the run-state directory (default $XDG_RUNTIME_DIR/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from rm" -l log-level -d 'Log messages at this level and above' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from rm" -s f -l force -d 'Stop running containers first'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from rm" -s v -l volumes -d 'Remove anonymous volumes too'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from rm" -s a -l all -d 'Remove every container'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from rm" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from rm" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from ls" -s f -l filter -d 'Filter: status=, name=, id=, label=, ancestor=, exited=' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from ls" -l format -d 'Pretty-print with a Go template, `json`, or `table …`' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from ls" -l root -d 'Path to the store (default $XDG_DATA_HOME/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from ls" -l runroot -d 'Path to the run-state directory (default $XDG_RUNTIME_DIR/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from ls" -l log-level -d 'Log messages at this level and above' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from ls" -s a -l all -d 'Show all containers (default: running only)'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from ls" -s q -l quiet -d 'Show only container ids'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from ls" -l no-trunc -d 'Do not truncate ids and commands'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from ls" -s l -l latest -d 'Show only the latest container'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from ls" -s n -l noheading -d 'Do not print column headings'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from ls" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from ls" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from ps" -s f -l filter -d 'Filter: status=, name=, id=, label=, ancestor=, exited=' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from ps" -l format -d 'Pretty-print with a Go template, `json`, or `table …`' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from ps" -l root -d 'Path to the store (default $XDG_DATA_HOME/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from ps" -l runroot -d 'Path to the run-state directory (default $XDG_RUNTIME_DIR/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from ps" -l log-level -d 'Log messages at this level and above' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from ps" -s a -l all -d 'Show all containers (default: running only)'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from ps" -s q -l quiet -d 'Show only container ids'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from ps" -l no-trunc -d 'Do not truncate ids and commands'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from ps" -s l -l latest -d 'Show only the latest container'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from ps" -s n -l noheading -d 'Do not print column headings'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from ps" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from ps" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from wait" -l root -d 'Path to the store (default $XDG_DATA_HOME/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from wait" -l runroot -d 'Path to the run-state directory (default $XDG_RUNTIME_DIR/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from wait" -l log-level -d 'Log messages at this level and above' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from wait" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from wait" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from logs" -s n -l tail -d 'Show the last N lines' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from logs" -l since -d 'Show lines since a time (RFC 3339, Unix seconds, or a duration like 10m)' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from logs" -l until -d 'Show lines before a time' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from logs" -l root -d 'Path to the store (default $XDG_DATA_HOME/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from logs" -l runroot -d 'Path to the run-state directory (default $XDG_RUNTIME_DIR/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from logs" -l log-level -d 'Log messages at this level and above' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from logs" -s f -l follow -d 'Follow the log until the container exits'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from logs" -s t -l timestamps -d 'Show timestamps'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from logs" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from logs" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from exec" -s e -l env -d 'Set environment variables' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from exec" -s u -l user -d 'Run as user[:group]' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from exec" -s w -l workdir -d 'Working directory' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from exec" -l root -d 'Path to the store (default $XDG_DATA_HOME/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from exec" -l runroot -d 'Path to the run-state directory (default $XDG_RUNTIME_DIR/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from exec" -l log-level -d 'Log messages at this level and above' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from exec" -s i -l interactive -d 'Keep stdin open'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from exec" -s t -l tty -d 'Allocate a pseudo-terminal'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from exec" -s d -l detach -d 'Run in the background'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from exec" -l privileged -d 'Give the process all capabilities'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from exec" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from exec" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from inspect" -s f -l format -d 'Format the output with a Go template or `json`' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from inspect" -l root -d 'Path to the store (default $XDG_DATA_HOME/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from inspect" -l runroot -d 'Path to the run-state directory (default $XDG_RUNTIME_DIR/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from inspect" -l log-level -d 'Log messages at this level and above' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from inspect" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from inspect" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from rename" -l root -d 'Path to the store (default $XDG_DATA_HOME/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from rename" -l runroot -d 'Path to the run-state directory (default $XDG_RUNTIME_DIR/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from rename" -l log-level -d 'Log messages at this level and above' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from rename" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from rename" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from top" -l root -d 'Path to the store (default $XDG_DATA_HOME/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from top" -l runroot -d 'Path to the run-state directory (default $XDG_RUNTIME_DIR/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from top" -l log-level -d 'Log messages at this level and above' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from top" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from top" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from port" -l root -d 'Path to the store (default $XDG_DATA_HOME/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from port" -l runroot -d 'Path to the run-state directory (default $XDG_RUNTIME_DIR/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from port" -l log-level -d 'Log messages at this level and above' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from port" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from port" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from prune" -l root -d 'Path to the store (default $XDG_DATA_HOME/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from prune" -l runroot -d 'Path to the run-state directory (default $XDG_RUNTIME_DIR/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from prune" -l log-level -d 'Log messages at this level and above' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from prune" -s f -l force -d 'Do not ask for confirmation'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from prune" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from prune" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from export" -s o -l output -d 'Write to this file instead of stdout' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from export" -l root -d 'Path to the store (default $XDG_DATA_HOME/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from export" -l runroot -d 'Path to the run-state directory (default $XDG_RUNTIME_DIR/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from export" -l log-level -d 'Log messages at this level and above' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from export" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from export" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from help" -f -a "run" -d 'Run a command in a new container'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from help" -f -a "create" -d 'Create a container without starting it'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from help" -f -a "start" -d 'Start containers'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from help" -f -a "stop" -d 'Stop running containers'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from help" -f -a "restart" -d 'Stop and start containers again'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from help" -f -a "kill" -d 'Send a signal to containers'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from help" -f -a "rm" -d 'Remove containers'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from help" -f -a "ls" -d 'List containers'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from help" -f -a "wait" -d 'Block until containers stop'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from help" -f -a "logs" -d 'Show a container\'s output'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from help" -f -a "exec" -d 'Run a process in a running container'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from help" -f -a "inspect" -d 'Display the configuration of containers'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from help" -f -a "rename" -d 'Rename a container'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from help" -f -a "top" -d 'Display the processes of a container'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from help" -f -a "port" -d 'List a container\'s published ports'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from help" -f -a "prune" -d 'Remove all stopped containers'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from help" -f -a "export" -d 'Export a container\'s filesystem as a tar archive'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c skiff -n "__fish_skiff_using_subcommand volume; and not __fish_seen_subcommand_from create ls list inspect rm prune help" -l root -d 'Path to the store (default $XDG_DATA_HOME/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand volume; and not __fish_seen_subcommand_from create ls list inspect rm prune help" -l runroot -d 'Path to the run-state directory (default $XDG_RUNTIME_DIR/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand volume; and not __fish_seen_subcommand_from create ls list inspect rm prune help" -l log-level -d 'Log messages at this level and above' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c skiff -n "__fish_skiff_using_subcommand volume; and not __fish_seen_subcommand_from create ls list inspect rm prune help" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand volume; and not __fish_seen_subcommand_from create ls list inspect rm prune help" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand volume; and not __fish_seen_subcommand_from create ls list inspect rm prune help" -f -a "create" -d 'Create a volume'
complete -c skiff -n "__fish_skiff_using_subcommand volume; and not __fish_seen_subcommand_from create ls list inspect rm prune help" -f -a "ls" -d 'List volumes'
complete -c skiff -n "__fish_skiff_using_subcommand volume; and not __fish_seen_subcommand_from create ls list inspect rm prune help" -f -a "list" -d 'List volumes'
complete -c skiff -n "__fish_skiff_using_subcommand volume; and not __fish_seen_subcommand_from create ls list inspect rm prune help" -f -a "inspect" -d 'Display the configuration of volumes'
complete -c skiff -n "__fish_skiff_using_subcommand volume; and not __fish_seen_subcommand_from create ls list inspect rm prune help" -f -a "rm" -d 'Remove volumes'
complete -c skiff -n "__fish_skiff_using_subcommand volume; and not __fish_seen_subcommand_from create ls list inspect rm prune help" -f -a "prune" -d 'Remove volumes no container uses'
complete -c skiff -n "__fish_skiff_using_subcommand volume; and not __fish_seen_subcommand_from create ls list inspect rm prune help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from create" -l root -d 'Path to the store (default $XDG_DATA_HOME/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from create" -l runroot -d 'Path to the run-state directory (default $XDG_RUNTIME_DIR/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from create" -l log-level -d 'Log messages at this level and above' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from create" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from create" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from ls" -l format -d 'Pretty-print with a Go template, `json`, or `table …`' -r
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from ls" -l root -d 'Path to the store (default $XDG_DATA_HOME/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from ls" -l runroot -d 'Path to the run-state directory (default $XDG_RUNTIME_DIR/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from ls" -l log-level -d 'Log messages at this level and above' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from ls" -s q -l quiet -d 'Show only volume names'
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from ls" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from ls" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from list" -l format -d 'Pretty-print with a Go template, `json`, or `table …`' -r
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from list" -l root -d 'Path to the store (default $XDG_DATA_HOME/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from list" -l runroot -d 'Path to the run-state directory (default $XDG_RUNTIME_DIR/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from list" -l log-level -d 'Log messages at this level and above' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Show only volume names'
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from inspect" -s f -l format -d 'Format the output with a Go template or `json`' -r
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from inspect" -l root -d 'Path to the store (default $XDG_DATA_HOME/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from inspect" -l runroot -d 'Path to the run-state directory (default $XDG_RUNTIME_DIR/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from inspect" -l log-level -d 'Log messages at this level and above' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from inspect" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from inspect" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from rm" -l root -d 'Path to the store (default $XDG_DATA_HOME/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from rm" -l runroot -d 'Path to the run-state directory (default $XDG_RUNTIME_DIR/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from rm" -l log-level -d 'Log messages at this level and above' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from rm" -s f -l force -d 'Remove even when a container uses the volume'
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from rm" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from rm" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from prune" -l root -d 'Path to the store (default $XDG_DATA_HOME/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from prune" -l runroot -d 'Path to the run-state directory (default $XDG_RUNTIME_DIR/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from prune" -l log-level -d 'Log messages at this level and above' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from prune" -s f -l force -d 'Do not ask for confirmation'
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from prune" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from prune" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from help" -f -a "create" -d 'Create a volume'
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from help" -f -a "ls" -d 'List volumes'
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from help" -f -a "inspect" -d 'Display the configuration of volumes'
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from help" -f -a "rm" -d 'Remove volumes'
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from help" -f -a "prune" -d 'Remove volumes no container uses'
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c skiff -n "__fish_skiff_using_subcommand build" -s t -l tag -d 'Name the image (repeatable)' -r
complete -c skiff -n "__fish_skiff_using_subcommand build" -s f -l file -d 'Dockerfile to use (`-` reads it from stdin); default CONTEXT/Dockerfile or Containerfile' -r
complete -c skiff -n "__fish_skiff_using_subcommand build" -l build-arg -d 'Set a build argument (`NAME=value`, or `NAME` to take it from the environment)' -r
complete -c skiff -n "__fish_skiff_using_subcommand build" -l target -d 'Build up to this stage' -r
complete -c skiff -n "__fish_skiff_using_subcommand build" -l pull -d 'Pull base images: always (the default with a bare --pull), missing (default), never, newer' -r
complete -c skiff -n "__fish_skiff_using_subcommand build" -l label -d 'Add a label to the image (`KEY=value`, repeatable)' -r
complete -c skiff -n "__fish_skiff_using_subcommand build" -l network -d 'Network for RUN instructions: default (private), none or host' -r
complete -c skiff -n "__fish_skiff_using_subcommand build" -l iidfile -d 'Write the image id to this file' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand build" -l secret -d 'Secret for RUN --mount=type=secret: `id=NAME,src=PATH` (repeatable)' -r
complete -c skiff -n "__fish_skiff_using_subcommand build" -l layers -d 'Keep intermediate steps in the cache (always on; accepted for Podman compatibility)' -r -f -a "true\t''
false\t''"
complete -c skiff -n "__fish_skiff_using_subcommand build" -l tls-verify -d 'Require HTTPS and verify certificates (plain HTTP is used for loopback registries)' -r -f -a "true\t''
false\t''"
complete -c skiff -n "__fish_skiff_using_subcommand build" -l authfile -d 'Path of the authentication file (default: $REGISTRY_AUTH_FILE, then $XDG_RUNTIME_DIR/containers/auth.json)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand build" -l root -d 'Path to the store (default $XDG_DATA_HOME/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand build" -l runroot -d 'Path to the run-state directory (default $XDG_RUNTIME_DIR/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand build" -l log-level -d 'Log messages at this level and above' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c skiff -n "__fish_skiff_using_subcommand build" -l no-cache -d 'Do not use cached steps'
complete -c skiff -n "__fish_skiff_using_subcommand build" -s q -l quiet -d 'Print only the image id'
complete -c skiff -n "__fish_skiff_using_subcommand build" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand build" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand commit" -s c -l change -d 'Apply a Dockerfile instruction to the config (CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, USER, VOLUME, WORKDIR, …)' -r
complete -c skiff -n "__fish_skiff_using_subcommand commit" -s m -l message -d 'Commit message (stored in the history)' -r
complete -c skiff -n "__fish_skiff_using_subcommand commit" -s a -l author -d 'Author of the image' -r
complete -c skiff -n "__fish_skiff_using_subcommand commit" -s p -l pause -d 'Pause the container while committing (accepted; skiff does not pause)' -r -f -a "true\t''
false\t''"
complete -c skiff -n "__fish_skiff_using_subcommand commit" -l root -d 'Path to the store (default $XDG_DATA_HOME/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand commit" -l runroot -d 'Path to the run-state directory (default $XDG_RUNTIME_DIR/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand commit" -l log-level -d 'Log messages at this level and above' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c skiff -n "__fish_skiff_using_subcommand commit" -s q -l quiet -d 'Print only the image id'
complete -c skiff -n "__fish_skiff_using_subcommand commit" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand commit" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand history" -s H -l human -d 'Show sizes in bytes' -r -f -a "true\t''
false\t''"
complete -c skiff -n "__fish_skiff_using_subcommand history" -l format -d 'Pretty-print with a Go template, `json`, or `table …`' -r
complete -c skiff -n "__fish_skiff_using_subcommand history" -l root -d 'Path to the store (default $XDG_DATA_HOME/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand history" -l runroot -d 'Path to the run-state directory (default $XDG_RUNTIME_DIR/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand history" -l log-level -d 'Log messages at this level and above' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c skiff -n "__fish_skiff_using_subcommand history" -l no-trunc -d 'Do not truncate the output'
complete -c skiff -n "__fish_skiff_using_subcommand history" -s q -l quiet -d 'Show only image ids'
complete -c skiff -n "__fish_skiff_using_subcommand history" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand history" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand pull" -l platform -d 'Pull the image for this platform (os/arch[/variant]) instead of the host\'s' -r
complete -c skiff -n "__fish_skiff_using_subcommand pull" -l tls-verify -d 'Require HTTPS and verify certificates (plain HTTP is used for loopback registries)' -r -f -a "true\t''
false\t''"
complete -c skiff -n "__fish_skiff_using_subcommand pull" -l authfile -d 'Path of the authentication file (default: $REGISTRY_AUTH_FILE, then $XDG_RUNTIME_DIR/containers/auth.json)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand pull" -l root -d 'Path to the store (default $XDG_DATA_HOME/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand pull" -l runroot -d 'Path to the run-state directory (default $XDG_RUNTIME_DIR/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand pull" -l log-level -d 'Log messages at this level and above' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c skiff -n "__fish_skiff_using_subcommand pull" -s q -l quiet -d 'Print only the image id'
complete -c skiff -n "__fish_skiff_using_subcommand pull" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand pull" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand push" -s f -l format -d 'Manifest format to push: v2s2 (default; oci when a layer is zstd) or oci' -r -f -a "oci\t'OCI image manifest'
v2s2\t'Docker image manifest, schema 2'"
complete -c skiff -n "__fish_skiff_using_subcommand push" -l digestfile -d 'Write the digest of the pushed manifest to this file' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand push" -l creds -d 'Credentials (USERNAME[:PASSWORD]) to use instead of the stored ones' -r
complete -c skiff -n "__fish_skiff_using_subcommand push" -l chunk-size -d 'Upload blobs larger than this many bytes in chunks of this size (0: always one request)' -r
complete -c skiff -n "__fish_skiff_using_subcommand push" -l tls-verify -d 'Require HTTPS and verify certificates (plain HTTP is used for loopback registries)' -r -f -a "true\t''
false\t''"
complete -c skiff -n "__fish_skiff_using_subcommand push" -l authfile -d 'Path of the authentication file (default: $REGISTRY_AUTH_FILE, then $XDG_RUNTIME_DIR/containers/auth.json)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand push" -l root -d 'Path to the store (default $XDG_DATA_HOME/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand push" -l runroot -d 'Path to the run-state directory (default $XDG_RUNTIME_DIR/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand push" -l log-level -d 'Log messages at this level and above' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c skiff -n "__fish_skiff_using_subcommand push" -l remove-signatures -d 'Discard signatures (skiff stores none, so there is nothing to discard)'
complete -c skiff -n "__fish_skiff_using_subcommand push" -s q -l quiet -d 'Print nothing but errors'
complete -c skiff -n "__fish_skiff_using_subcommand push" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c skiff -n "__fish_skiff_using_subcommand push" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand login" -s u -l username -d 'User name' -r
complete -c skiff -n "__fish_skiff_using_subcommand login" -s p -l password -d 'Password (visible to other users in the process list: prefer --password-stdin)' -r
complete -c skiff -n "__fish_skiff_using_subcommand login" -l tls-verify -d 'Require HTTPS and verify certificates (plain HTTP is used for loopback registries)' -r -f -a "true\t''
false\t''"
complete -c skiff -n "__fish_skiff_using_subcommand login" -l authfile -d 'Path of the authentication file (default: $REGISTRY_AUTH_FILE, then $XDG_RUNTIME_DIR/containers/auth.json)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand login" -l root -d 'Path to the store (default $XDG_DATA_HOME/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand login" -l runroot -d 'Path to the run-state directory (default $XDG_RUNTIME_DIR/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand login" -l log-level -d 'Log messages at this level and above' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c skiff -n "__fish_skiff_using_subcommand login" -l password-stdin -d 'Read the password from standard input'
complete -c skiff -n "__fish_skiff_using_subcommand login" -l get-login -d 'Print the user name stored for the registry and exit'
complete -c skiff -n "__fish_skiff_using_subcommand login" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand login" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand logout" -l authfile -d 'Path of the authentication file (default: $REGISTRY_AUTH_FILE, then $XDG_RUNTIME_DIR/containers/auth.json)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand logout" -l root -d 'Path to the store (default $XDG_DATA_HOME/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand logout" -l runroot -d 'Path to the run-state directory (default $XDG_RUNTIME_DIR/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand logout" -l log-level -d 'Log messages at this level and above' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c skiff -n "__fish_skiff_using_subcommand logout" -s a -l all -d 'Remove the credentials of every registry'
complete -c skiff -n "__fish_skiff_using_subcommand logout" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand logout" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand save" -s o -l output -d 'Write to this file (or directory for oci-dir) instead of stdout' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand save" -l format -d 'Archive format' -r -f -a "docker-archive\t'docker save\'s format: manifest.json and uncompressed layer tars'
oci-archive\t'an OCI image layout in a tar'
oci-dir\t'an OCI image layout directory (needs -o DIR)'"
complete -c skiff -n "__fish_skiff_using_subcommand save" -l root -d 'Path to the store (default $XDG_DATA_HOME/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand save" -l runroot -d 'Path to the run-state directory (default $XDG_RUNTIME_DIR/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand save" -l log-level -d 'Log messages at this level and above' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c skiff -n "__fish_skiff_using_subcommand save" -s m -l multi-image-archive -d 'Allow several images in one docker-archive (always allowed; for Podman compatibility)'
complete -c skiff -n "__fish_skiff_using_subcommand save" -s q -l quiet -d 'Print nothing but errors'
complete -c skiff -n "__fish_skiff_using_subcommand save" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c skiff -n "__fish_skiff_using_subcommand save" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand load" -s i -l input -d 'Read the archive from this file instead of stdin' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand load" -l root -d 'Path to the store (default $XDG_DATA_HOME/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand load" -l runroot -d 'Path to the run-state directory (default $XDG_RUNTIME_DIR/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand load" -l log-level -d 'Log messages at this level and above' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c skiff -n "__fish_skiff_using_subcommand load" -s q -l quiet -d 'Print nothing but errors'
complete -c skiff -n "__fish_skiff_using_subcommand load" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand load" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand export" -s o -l output -d 'Write to this file instead of stdout' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand export" -l root -d 'Path to the store (default $XDG_DATA_HOME/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand export" -l runroot -d 'Path to the run-state directory (default $XDG_RUNTIME_DIR/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand export" -l log-level -d 'Log messages at this level and above' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c skiff -n "__fish_skiff_using_subcommand export" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand export" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand import" -s c -l change -d 'Apply a Dockerfile instruction to the image config (CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, USER, VOLUME, WORKDIR)' -r
complete -c skiff -n "__fish_skiff_using_subcommand import" -s m -l message -d 'Commit message for the imported image (its history comment)' -r
complete -c skiff -n "__fish_skiff_using_subcommand import" -l root -d 'Path to the store (default $XDG_DATA_HOME/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand import" -l runroot -d 'Path to the run-state directory (default $XDG_RUNTIME_DIR/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand import" -l log-level -d 'Log messages at this level and above' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c skiff -n "__fish_skiff_using_subcommand import" -s q -l quiet -d 'Print only the image id'
complete -c skiff -n "__fish_skiff_using_subcommand import" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand import" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand images" -l format -d 'Pretty-print with a Go template, `json`, or `table …`' -r
complete -c skiff -n "__fish_skiff_using_subcommand images" -l root -d 'Path to the store (default $XDG_DATA_HOME/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand images" -l runroot -d 'Path to the run-state directory (default $XDG_RUNTIME_DIR/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand images" -l log-level -d 'Log messages at this level and above' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c skiff -n "__fish_skiff_using_subcommand images" -s a -l all -d 'Show all images (skiff keeps no intermediate images, so this is the default list)'
complete -c skiff -n "__fish_skiff_using_subcommand images" -l digests -d 'Show image digests'
complete -c skiff -n "__fish_skiff_using_subcommand images" -l no-trunc -d 'Do not truncate image ids'
complete -c skiff -n "__fish_skiff_using_subcommand images" -s n -l noheading -d 'Do not print column headings'
complete -c skiff -n "__fish_skiff_using_subcommand images" -s q -l quiet -d 'Show only image ids'
complete -c skiff -n "__fish_skiff_using_subcommand images" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand images" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand list" -l format -d 'Pretty-print with a Go template, `json`, or `table …`' -r
complete -c skiff -n "__fish_skiff_using_subcommand list" -l root -d 'Path to the store (default $XDG_DATA_HOME/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand list" -l runroot -d 'Path to the run-state directory (default $XDG_RUNTIME_DIR/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand list" -l log-level -d 'Log messages at this level and above' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c skiff -n "__fish_skiff_using_subcommand list" -s a -l all -d 'Show all images (skiff keeps no intermediate images, so this is the default list)'
complete -c skiff -n "__fish_skiff_using_subcommand list" -l digests -d 'Show image digests'
complete -c skiff -n "__fish_skiff_using_subcommand list" -l no-trunc -d 'Do not truncate image ids'
complete -c skiff -n "__fish_skiff_using_subcommand list" -s n -l noheading -d 'Do not print column headings'
complete -c skiff -n "__fish_skiff_using_subcommand list" -s q -l quiet -d 'Show only image ids'
complete -c skiff -n "__fish_skiff_using_subcommand list" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand list" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand image; and not __fish_seen_subcommand_from ls list pull push inspect rm tag prune save load import help" -l root -d 'Path to the store (default $XDG_DATA_HOME/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and not __fish_seen_subcommand_from ls list pull push inspect rm tag prune save load import help" -l runroot -d 'Path to the run-state directory (default $XDG_RUNTIME_DIR/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and not __fish_seen_subcommand_from ls list pull push inspect rm tag prune save load import help" -l log-level -d 'Log messages at this level and above' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c skiff -n "__fish_skiff_using_subcommand image; and not __fish_seen_subcommand_from ls list pull push inspect rm tag prune save load import help" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand image; and not __fish_seen_subcommand_from ls list pull push inspect rm tag prune save load import help" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand image; and not __fish_seen_subcommand_from ls list pull push inspect rm tag prune save load import help" -f -a "ls" -d 'List images in local storage'
complete -c skiff -n "__fish_skiff_using_subcommand image; and not __fish_seen_subcommand_from ls list pull push inspect rm tag prune save load import help" -f -a "list" -d 'List images in local storage'
complete -c skiff -n "__fish_skiff_using_subcommand image; and not __fish_seen_subcommand_from ls list pull push inspect rm tag prune save load import help" -f -a "pull" -d 'Pull an image from a registry'
complete -c skiff -n "__fish_skiff_using_subcommand image; and not __fish_seen_subcommand_from ls list pull push inspect rm tag prune save load import help" -f -a "push" -d 'Push an image to a registry'
complete -c skiff -n "__fish_skiff_using_subcommand image; and not __fish_seen_subcommand_from ls list pull push inspect rm tag prune save load import help" -f -a "inspect" -d 'Display the configuration of an image'
complete -c skiff -n "__fish_skiff_using_subcommand image; and not __fish_seen_subcommand_from ls list pull push inspect rm tag prune save load import help" -f -a "rm" -d 'Remove one or more images from local storage'
complete -c skiff -n "__fish_skiff_using_subcommand image; and not __fish_seen_subcommand_from ls list pull push inspect rm tag prune save load import help" -f -a "tag" -d 'Add an additional name to a local image'
complete -c skiff -n "__fish_skiff_using_subcommand image; and not __fish_seen_subcommand_from ls list pull push inspect rm tag prune save load import help" -f -a "prune" -d 'Remove unused images'
complete -c skiff -n "__fish_skiff_using_subcommand image; and not __fish_seen_subcommand_from ls list pull push inspect rm tag prune save load import help" -f -a "save" -d 'Save images to an archive (docker-archive, oci-archive or oci-dir)'
complete -c skiff -n "__fish_skiff_using_subcommand image; and not __fish_seen_subcommand_from ls list pull push inspect rm tag prune save load import help" -f -a "load" -d 'Load images from a docker-archive or oci-archive (gzip-compressed or not)'
complete -c skiff -n "__fish_skiff_using_subcommand image; and not __fish_seen_subcommand_from ls list pull push inspect rm tag prune save load import help" -f -a "import" -d 'Create an image from a tarball (a file, a URL or stdin)'
complete -c skiff -n "__fish_skiff_using_subcommand image; and not __fish_seen_subcommand_from ls list pull push inspect rm tag prune save load import help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from ls" -l format -d 'Pretty-print with a Go template, `json`, or `table …`' -r
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from ls" -l root -d 'Path to the store (default $XDG_DATA_HOME/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from ls" -l runroot -d 'Path to the run-state directory (default $XDG_RUNTIME_DIR/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from ls" -l log-level -d 'Log messages at this level and above' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from ls" -s a -l all -d 'Show all images (skiff keeps no intermediate images, so this is the default list)'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from ls" -l digests -d 'Show image digests'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from ls" -l no-trunc -d 'Do not truncate image ids'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from ls" -s n -l noheading -d 'Do not print column headings'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from ls" -s q -l quiet -d 'Show only image ids'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from ls" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from ls" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from list" -l format -d 'Pretty-print with a Go template, `json`, or `table …`' -r
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from list" -l root -d 'Path to the store (default $XDG_DATA_HOME/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from list" -l runroot -d 'Path to the run-state directory (default $XDG_RUNTIME_DIR/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from list" -l log-level -d 'Log messages at this level and above' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from list" -s a -l all -d 'Show all images (skiff keeps no intermediate images, so this is the default list)'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from list" -l digests -d 'Show image digests'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from list" -l no-trunc -d 'Do not truncate image ids'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from list" -s n -l noheading -d 'Do not print column headings'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Show only image ids'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from pull" -l platform -d 'Pull the image for this platform (os/arch[/variant]) instead of the host\'s' -r
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from pull" -l tls-verify -d 'Require HTTPS and verify certificates (plain HTTP is used for loopback registries)' -r -f -a "true\t''
false\t''"
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from pull" -l authfile -d 'Path of the authentication file (default: $REGISTRY_AUTH_FILE, then $XDG_RUNTIME_DIR/containers/auth.json)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from pull" -l root -d 'Path to the store (default $XDG_DATA_HOME/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from pull" -l runroot -d 'Path to the run-state directory (default $XDG_RUNTIME_DIR/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from pull" -l log-level -d 'Log messages at this level and above' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from pull" -s q -l quiet -d 'Print only the image id'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from pull" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from pull" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from push" -s f -l format -d 'Manifest format to push: v2s2 (default; oci when a layer is zstd) or oci' -r -f -a "oci\t'OCI image manifest'
v2s2\t'Docker image manifest, schema 2'"
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from push" -l digestfile -d 'Write the digest of the pushed manifest to this file' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from push" -l creds -d 'Credentials (USERNAME[:PASSWORD]) to use instead of the stored ones' -r
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from push" -l chunk-size -d 'Upload blobs larger than this many bytes in chunks of this size (0: always one request)' -r
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from push" -l tls-verify -d 'Require HTTPS and verify certificates (plain HTTP is used for loopback registries)' -r -f -a "true\t''
false\t''"
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from push" -l authfile -d 'Path of the authentication file (default: $REGISTRY_AUTH_FILE, then $XDG_RUNTIME_DIR/containers/auth.json)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from push" -l root -d 'Path to the store (default $XDG_DATA_HOME/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from push" -l runroot -d 'Path to the run-state directory (default $XDG_RUNTIME_DIR/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from push" -l log-level -d 'Log messages at this level and above' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from push" -l remove-signatures -d 'Discard signatures (skiff stores none, so there is nothing to discard)'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from push" -s q -l quiet -d 'Print nothing but errors'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from push" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from push" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from inspect" -s f -l format -d 'Format the output with a Go template or `json`' -r
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from inspect" -l root -d 'Path to the store (default $XDG_DATA_HOME/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from inspect" -l runroot -d 'Path to the run-state directory (default $XDG_RUNTIME_DIR/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from inspect" -l log-level -d 'Log messages at this level and above' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from inspect" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from inspect" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from rm" -l root -d 'Path to the store (default $XDG_DATA_HOME/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from rm" -l runroot -d 'Path to the run-state directory (default $XDG_RUNTIME_DIR/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from rm" -l log-level -d 'Log messages at this level and above' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from rm" -s a -l all -d 'Remove every image'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from rm" -s f -l force -d 'Remove the image even when it has several names'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from rm" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from rm" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from tag" -l root -d 'Path to the store (default $XDG_DATA_HOME/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from tag" -l runroot -d 'Path to the run-state directory (default $XDG_RUNTIME_DIR/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from tag" -l log-level -d 'Log messages at this level and above' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from tag" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from tag" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from prune" -l root -d 'Path to the store (default $XDG_DATA_HOME/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from prune" -l runroot -d 'Path to the run-state directory (default $XDG_RUNTIME_DIR/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from prune" -l log-level -d 'Log messages at this level and above' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from prune" -s a -l all -d 'Remove all images not used by containers, not only unnamed ones'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from prune" -s f -l force -d 'Do not ask for confirmation'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from prune" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from prune" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from save" -s o -l output -d 'Write to this file (or directory for oci-dir) instead of stdout' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from save" -l format -d 'Archive format' -r -f -a "docker-archive\t'docker save\'s format: manifest.json and uncompressed layer tars'
oci-archive\t'an OCI image layout in a tar'
oci-dir\t'an OCI image layout directory (needs -o DIR)'"
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from save" -l root -d 'Path to the store (default $XDG_DATA_HOME/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from save" -l runroot -d 'Path to the run-state directory (default $XDG_RUNTIME_DIR/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from save" -l log-level -d 'Log messages at this level and above' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from save" -s m -l multi-image-archive -d 'Allow several images in one docker-archive (always allowed; for Podman compatibility)'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from save" -s q -l quiet -d 'Print nothing but errors'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from save" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from save" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from load" -s i -l input -d 'Read the archive from this file instead of stdin' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from load" -l root -d 'Path to the store (default $XDG_DATA_HOME/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from load" -l runroot -d 'Path to the run-state directory (default $XDG_RUNTIME_DIR/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from load" -l log-level -d 'Log messages at this level and above' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from load" -s q -l quiet -d 'Print nothing but errors'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from load" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from load" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from import" -s c -l change -d 'Apply a Dockerfile instruction to the image config (CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, USER, VOLUME, WORKDIR)' -r
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from import" -s m -l message -d 'Commit message for the imported image (its history comment)' -r
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from import" -l root -d 'Path to the store (default $XDG_DATA_HOME/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from import" -l runroot -d 'Path to the run-state directory (default $XDG_RUNTIME_DIR/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from import" -l log-level -d 'Log messages at this level and above' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from import" -s q -l quiet -d 'Print only the image id'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from import" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from import" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from help" -f -a "ls" -d 'List images in local storage'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from help" -f -a "pull" -d 'Pull an image from a registry'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from help" -f -a "push" -d 'Push an image to a registry'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from help" -f -a "inspect" -d 'Display the configuration of an image'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from help" -f -a "rm" -d 'Remove one or more images from local storage'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from help" -f -a "tag" -d 'Add an additional name to a local image'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from help" -f -a "prune" -d 'Remove unused images'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from help" -f -a "save" -d 'Save images to an archive (docker-archive, oci-archive or oci-dir)'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from help" -f -a "load" -d 'Load images from a docker-archive or oci-archive (gzip-compressed or not)'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from help" -f -a "import" -d 'Create an image from a tarball (a file, a URL or stdin)'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c skiff -n "__fish_skiff_using_subcommand inspect" -s f -l format -d 'Format the output with a Go template or `json`' -r
complete -c skiff -n "__fish_skiff_using_subcommand inspect" -l root -d 'Path to the store (default $XDG_DATA_HOME/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand inspect" -l runroot -d 'Path to the run-state directory (default $XDG_RUNTIME_DIR/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand inspect" -l log-level -d 'Log messages at this level and above' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c skiff -n "__fish_skiff_using_subcommand inspect" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand inspect" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand tag" -l root -d 'Path to the store (default $XDG_DATA_HOME/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand tag" -l runroot -d 'Path to the run-state directory (default $XDG_RUNTIME_DIR/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand tag" -l log-level -d 'Log messages at this level and above' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c skiff -n "__fish_skiff_using_subcommand tag" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand tag" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand rmi" -l root -d 'Path to the store (default $XDG_DATA_HOME/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand rmi" -l runroot -d 'Path to the run-state directory (default $XDG_RUNTIME_DIR/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand rmi" -l log-level -d 'Log messages at this level and above' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c skiff -n "__fish_skiff_using_subcommand rmi" -s a -l all -d 'Remove every image'
complete -c skiff -n "__fish_skiff_using_subcommand rmi" -s f -l force -d 'Remove the image even when it has several names'
complete -c skiff -n "__fish_skiff_using_subcommand rmi" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand rmi" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand info" -s f -l format -d 'Format the output with a Go template or `json`' -r
complete -c skiff -n "__fish_skiff_using_subcommand info" -l root -d 'Path to the store (default $XDG_DATA_HOME/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand info" -l runroot -d 'Path to the run-state directory (default $XDG_RUNTIME_DIR/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand info" -l log-level -d 'Log messages at this level and above' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c skiff -n "__fish_skiff_using_subcommand info" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand info" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand version" -s f -l format -d 'Format the output with a Go template or `json`' -r
complete -c skiff -n "__fish_skiff_using_subcommand version" -l root -d 'Path to the store (default $XDG_DATA_HOME/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand version" -l runroot -d 'Path to the run-state directory (default $XDG_RUNTIME_DIR/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand version" -l log-level -d 'Log messages at this level and above' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c skiff -n "__fish_skiff_using_subcommand version" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand version" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand system; and not __fish_seen_subcommand_from check info help" -l root -d 'Path to the store (default $XDG_DATA_HOME/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand system; and not __fish_seen_subcommand_from check info help" -l runroot -d 'Path to the run-state directory (default $XDG_RUNTIME_DIR/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand system; and not __fish_seen_subcommand_from check info help" -l log-level -d 'Log messages at this level and above' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c skiff -n "__fish_skiff_using_subcommand system; and not __fish_seen_subcommand_from check info help" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand system; and not __fish_seen_subcommand_from check info help" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand system; and not __fish_seen_subcommand_from check info help" -f -a "check" -d 'Check the store for damage: every blob\'s digest, every image\'s parts, and temp space of dead processes (which is removed first)'
complete -c skiff -n "__fish_skiff_using_subcommand system; and not __fish_seen_subcommand_from check info help" -f -a "info" -d 'Display skiff system information'
complete -c skiff -n "__fish_skiff_using_subcommand system; and not __fish_seen_subcommand_from check info help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c skiff -n "__fish_skiff_using_subcommand system; and __fish_seen_subcommand_from check" -l root -d 'Path to the store (default $XDG_DATA_HOME/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand system; and __fish_seen_subcommand_from check" -l runroot -d 'Path to the run-state directory (default $XDG_RUNTIME_DIR/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand system; and __fish_seen_subcommand_from check" -l log-level -d 'Log messages at this level and above' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c skiff -n "__fish_skiff_using_subcommand system; and __fish_seen_subcommand_from check" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand system; and __fish_seen_subcommand_from check" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand system; and __fish_seen_subcommand_from info" -s f -l format -d 'Format the output with a Go template or `json`' -r
complete -c skiff -n "__fish_skiff_using_subcommand system; and __fish_seen_subcommand_from info" -l root -d 'Path to the store (default $XDG_DATA_HOME/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand system; and __fish_seen_subcommand_from info" -l runroot -d 'Path to the run-state directory (default $XDG_RUNTIME_DIR/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand system; and __fish_seen_subcommand_from info" -l log-level -d 'Log messages at this level and above' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c skiff -n "__fish_skiff_using_subcommand system; and __fish_seen_subcommand_from info" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand system; and __fish_seen_subcommand_from info" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand system; and __fish_seen_subcommand_from help" -f -a "check" -d 'Check the store for damage: every blob\'s digest, every image\'s parts, and temp space of dead processes (which is removed first)'
complete -c skiff -n "__fish_skiff_using_subcommand system; and __fish_seen_subcommand_from help" -f -a "info" -d 'Display skiff system information'
complete -c skiff -n "__fish_skiff_using_subcommand system; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from run create start stop restart kill rm ps wait logs exec attach rename cp top port container volume build commit history pull push login logout save load export import images image inspect tag rmi info version system help" -f -a "run" -d 'Run a command in a new container'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from run create start stop restart kill rm ps wait logs exec attach rename cp top port container volume build commit history pull push login logout save load export import images image inspect tag rmi info version system help" -f -a "create" -d 'Create a container without starting it'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from run create start stop restart kill rm ps wait logs exec attach rename cp top port container volume build commit history pull push login logout save load export import images image inspect tag rmi info version system help" -f -a "start" -d 'Start containers'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from run create start stop restart kill rm ps wait logs exec attach rename cp top port container volume build commit history pull push login logout save load export import images image inspect tag rmi info version system help" -f -a "stop" -d 'Stop running containers (stop signal, then SIGKILL after a timeout)'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from run create start stop restart kill rm ps wait logs exec attach rename cp top port container volume build commit history pull push login logout save load export import images image inspect tag rmi info version system help" -f -a "restart" -d 'Stop and start containers again'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from run create start stop restart kill rm ps wait logs exec attach rename cp top port container volume build commit history pull push login logout save load export import images image inspect tag rmi info version system help" -f -a "kill" -d 'Send a signal to containers'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from run create start stop restart kill rm ps wait logs exec attach rename cp top port container volume build commit history pull push login logout save load export import images image inspect tag rmi info version system help" -f -a "rm" -d 'Remove containers'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from run create start stop restart kill rm ps wait logs exec attach rename cp top port container volume build commit history pull push login logout save load export import images image inspect tag rmi info version system help" -f -a "ps" -d 'List containers'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from run create start stop restart kill rm ps wait logs exec attach rename cp top port container volume build commit history pull push login logout save load export import images image inspect tag rmi info version system help" -f -a "wait" -d 'Block until containers stop and print their exit codes'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from run create start stop restart kill rm ps wait logs exec attach rename cp top port container volume build commit history pull push login logout save load export import images image inspect tag rmi info version system help" -f -a "logs" -d 'Show a container\'s output'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from run create start stop restart kill rm ps wait logs exec attach rename cp top port container volume build commit history pull push login logout save load export import images image inspect tag rmi info version system help" -f -a "exec" -d 'Run a process in a running container'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from run create start stop restart kill rm ps wait logs exec attach rename cp top port container volume build commit history pull push login logout save load export import images image inspect tag rmi info version system help" -f -a "attach" -d 'Attach stdin, stdout and stderr to a running container'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from run create start stop restart kill rm ps wait logs exec attach rename cp top port container volume build commit history pull push login logout save load export import images image inspect tag rmi info version system help" -f -a "rename" -d 'Rename a container'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from run create start stop restart kill rm ps wait logs exec attach rename cp top port container volume build commit history pull push login logout save load export import images image inspect tag rmi info version system help" -f -a "cp" -d 'Copy files between a container and the host'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from run create start stop restart kill rm ps wait logs exec attach rename cp top port container volume build commit history pull push login logout save load export import images image inspect tag rmi info version system help" -f -a "top" -d 'Display the processes of a container'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from run create start stop restart kill rm ps wait logs exec attach rename cp top port container volume build commit history pull push login logout save load export import images image inspect tag rmi info version system help" -f -a "port" -d 'List a container\'s published ports'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from run create start stop restart kill rm ps wait logs exec attach rename cp top port container volume build commit history pull push login logout save load export import images image inspect tag rmi info version system help" -f -a "container" -d 'Manage containers'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from run create start stop restart kill rm ps wait logs exec attach rename cp top port container volume build commit history pull push login logout save load export import images image inspect tag rmi info version system help" -f -a "volume" -d 'Manage volumes'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from run create start stop restart kill rm ps wait logs exec attach rename cp top port container volume build commit history pull push login logout save load export import images image inspect tag rmi info version system help" -f -a "build" -d 'Build an image from a Dockerfile'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from run create start stop restart kill rm ps wait logs exec attach rename cp top port container volume build commit history pull push login logout save load export import images image inspect tag rmi info version system help" -f -a "commit" -d 'Create a new image from a container\'s changes'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from run create start stop restart kill rm ps wait logs exec attach rename cp top port container volume build commit history pull push login logout save load export import images image inspect tag rmi info version system help" -f -a "history" -d 'Show the history of an image'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from run create start stop restart kill rm ps wait logs exec attach rename cp top port container volume build commit history pull push login logout save load export import images image inspect tag rmi info version system help" -f -a "pull" -d 'Pull an image from a registry'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from run create start stop restart kill rm ps wait logs exec attach rename cp top port container volume build commit history pull push login logout save load export import images image inspect tag rmi info version system help" -f -a "push" -d 'Push an image to a registry'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from run create start stop restart kill rm ps wait logs exec attach rename cp top port container volume build commit history pull push login logout save load export import images image inspect tag rmi info version system help" -f -a "login" -d 'Log in to a registry (credentials are checked, then stored)'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from run create start stop restart kill rm ps wait logs exec attach rename cp top port container volume build commit history pull push login logout save load export import images image inspect tag rmi info version system help" -f -a "logout" -d 'Remove the stored credentials of a registry'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from run create start stop restart kill rm ps wait logs exec attach rename cp top port container volume build commit history pull push login logout save load export import images image inspect tag rmi info version system help" -f -a "save" -d 'Save images to an archive (docker-archive, oci-archive or oci-dir)'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from run create start stop restart kill rm ps wait logs exec attach rename cp top port container volume build commit history pull push login logout save load export import images image inspect tag rmi info version system help" -f -a "load" -d 'Load images from a docker-archive or oci-archive (gzip-compressed or not)'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from run create start stop restart kill rm ps wait logs exec attach rename cp top port container volume build commit history pull push login logout save load export import images image inspect tag rmi info version system help" -f -a "export" -d 'Export a container\'s filesystem as a tar archive'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from run create start stop restart kill rm ps wait logs exec attach rename cp top port container volume build commit history pull push login logout save load export import images image inspect tag rmi info version system help" -f -a "import" -d 'Create an image from a tarball (a file, a URL or stdin)'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from run create start stop restart kill rm ps wait logs exec attach rename cp top port container volume build commit history pull push login logout save load export import images image inspect tag rmi info version system help" -f -a "images" -d 'List images in local storage'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from run create start stop restart kill rm ps wait logs exec attach rename cp top port container volume build commit history pull push login logout save load export import images image inspect tag rmi info version system help" -f -a "image" -d 'Manage images'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from run create start stop restart kill rm ps wait logs exec attach rename cp top port container volume build commit history pull push login logout save load export import images image inspect tag rmi info version system help" -f -a "inspect" -d 'Display the configuration of containers or images'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from run create start stop restart kill rm ps wait logs exec attach rename cp top port container volume build commit history pull push login logout save load export import images image inspect tag rmi info version system help" -f -a "tag" -d 'Add an additional name to a local image'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from run create start stop restart kill rm ps wait logs exec attach rename cp top port container volume build commit history pull push login logout save load export import images image inspect tag rmi info version system help" -f -a "rmi" -d 'Remove one or more images from local storage'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from run create start stop restart kill rm ps wait logs exec attach rename cp top port container volume build commit history pull push login logout save load export import images image inspect tag rmi info version system help" -f -a "info" -d 'Display skiff system information'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from run create start stop restart kill rm ps wait logs exec attach rename cp top port container volume build commit history pull push login logout save load export import images image inspect tag rmi info version system help" -f -a "version" -d 'Display the skiff version information'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from run create start stop restart kill rm ps wait logs exec attach rename cp top port container volume build commit history pull push login logout save load export import images image inspect tag rmi info version system help" -f -a "system" -d 'Manage skiff'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from run create start stop restart kill rm ps wait logs exec attach rename cp top port container volume build commit history pull push login logout save load export import images image inspect tag rmi info version system help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from container" -f -a "run" -d 'Run a command in a new container'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from container" -f -a "create" -d 'Create a container without starting it'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from container" -f -a "start" -d 'Start containers'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from container" -f -a "stop" -d 'Stop running containers'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from container" -f -a "restart" -d 'Stop and start containers again'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from container" -f -a "kill" -d 'Send a signal to containers'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from container" -f -a "rm" -d 'Remove containers'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from container" -f -a "ls" -d 'List containers'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from container" -f -a "wait" -d 'Block until containers stop'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from container" -f -a "logs" -d 'Show a container\'s output'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from container" -f -a "exec" -d 'Run a process in a running container'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from container" -f -a "inspect" -d 'Display the configuration of containers'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from container" -f -a "rename" -d 'Rename a container'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from container" -f -a "top" -d 'Display the processes of a container'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from container" -f -a "port" -d 'List a container\'s published ports'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from container" -f -a "prune" -d 'Remove all stopped containers'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from container" -f -a "export" -d 'Export a container\'s filesystem as a tar archive'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from volume" -f -a "create" -d 'Create a volume'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from volume" -f -a "ls" -d 'List volumes'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from volume" -f -a "inspect" -d 'Display the configuration of volumes'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from volume" -f -a "rm" -d 'Remove volumes'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from volume" -f -a "prune" -d 'Remove volumes no container uses'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from image" -f -a "ls" -d 'List images in local storage'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from image" -f -a "pull" -d 'Pull an image from a registry'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from image" -f -a "push" -d 'Push an image to a registry'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from image" -f -a "inspect" -d 'Display the configuration of an image'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from image" -f -a "rm" -d 'Remove one or more images from local storage'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from image" -f -a "tag" -d 'Add an additional name to a local image'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from image" -f -a "prune" -d 'Remove unused images'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from image" -f -a "save" -d 'Save images to an archive (docker-archive, oci-archive or oci-dir)'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from image" -f -a "load" -d 'Load images from a docker-archive or oci-archive (gzip-compressed or not)'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from image" -f -a "import" -d 'Create an image from a tarball (a file, a URL or stdin)'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from system" -f -a "check" -d 'Check the store for damage: every blob\'s digest, every image\'s parts, and temp space of dead processes (which is removed first)'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from system" -f -a "info" -d 'Display skiff system information'
