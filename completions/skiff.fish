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
complete -c skiff -n "__fish_skiff_needs_command" -f -a "pull" -d 'Pull an image from a registry'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "images" -d 'List images in local storage'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "list" -d 'List images in local storage'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "image" -d 'Manage images'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "inspect" -d 'Display the configuration of an image'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "tag" -d 'Add an additional name to a local image'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "rmi" -d 'Remove one or more images from local storage'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "info" -d 'Display skiff system information'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "version" -d 'Display the skiff version information'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "system" -d 'Manage skiff'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
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
complete -c skiff -n "__fish_skiff_using_subcommand image; and not __fish_seen_subcommand_from ls list pull inspect rm tag prune help" -l root -d 'Path to the store (default $XDG_DATA_HOME/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and not __fish_seen_subcommand_from ls list pull inspect rm tag prune help" -l runroot -d 'Path to the run-state directory (default $XDG_RUNTIME_DIR/skiff)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and not __fish_seen_subcommand_from ls list pull inspect rm tag prune help" -l log-level -d 'Log messages at this level and above' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c skiff -n "__fish_skiff_using_subcommand image; and not __fish_seen_subcommand_from ls list pull inspect rm tag prune help" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand image; and not __fish_seen_subcommand_from ls list pull inspect rm tag prune help" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand image; and not __fish_seen_subcommand_from ls list pull inspect rm tag prune help" -f -a "ls" -d 'List images in local storage'
complete -c skiff -n "__fish_skiff_using_subcommand image; and not __fish_seen_subcommand_from ls list pull inspect rm tag prune help" -f -a "list" -d 'List images in local storage'
complete -c skiff -n "__fish_skiff_using_subcommand image; and not __fish_seen_subcommand_from ls list pull inspect rm tag prune help" -f -a "pull" -d 'Pull an image from a registry'
complete -c skiff -n "__fish_skiff_using_subcommand image; and not __fish_seen_subcommand_from ls list pull inspect rm tag prune help" -f -a "inspect" -d 'Display the configuration of an image'
complete -c skiff -n "__fish_skiff_using_subcommand image; and not __fish_seen_subcommand_from ls list pull inspect rm tag prune help" -f -a "rm" -d 'Remove one or more images from local storage'
complete -c skiff -n "__fish_skiff_using_subcommand image; and not __fish_seen_subcommand_from ls list pull inspect rm tag prune help" -f -a "tag" -d 'Add an additional name to a local image'
complete -c skiff -n "__fish_skiff_using_subcommand image; and not __fish_seen_subcommand_from ls list pull inspect rm tag prune help" -f -a "prune" -d 'Remove unused images'
complete -c skiff -n "__fish_skiff_using_subcommand image; and not __fish_seen_subcommand_from ls list pull inspect rm tag prune help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
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
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from help" -f -a "ls" -d 'List images in local storage'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from help" -f -a "pull" -d 'Pull an image from a registry'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from help" -f -a "inspect" -d 'Display the configuration of an image'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from help" -f -a "rm" -d 'Remove one or more images from local storage'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from help" -f -a "tag" -d 'Add an additional name to a local image'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from help" -f -a "prune" -d 'Remove unused images'
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
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from pull images image inspect tag rmi info version system help" -f -a "pull" -d 'Pull an image from a registry'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from pull images image inspect tag rmi info version system help" -f -a "images" -d 'List images in local storage'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from pull images image inspect tag rmi info version system help" -f -a "image" -d 'Manage images'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from pull images image inspect tag rmi info version system help" -f -a "inspect" -d 'Display the configuration of an image'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from pull images image inspect tag rmi info version system help" -f -a "tag" -d 'Add an additional name to a local image'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from pull images image inspect tag rmi info version system help" -f -a "rmi" -d 'Remove one or more images from local storage'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from pull images image inspect tag rmi info version system help" -f -a "info" -d 'Display skiff system information'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from pull images image inspect tag rmi info version system help" -f -a "version" -d 'Display the skiff version information'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from pull images image inspect tag rmi info version system help" -f -a "system" -d 'Manage skiff'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from pull images image inspect tag rmi info version system help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from image" -f -a "ls" -d 'List images in local storage'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from image" -f -a "pull" -d 'Pull an image from a registry'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from image" -f -a "inspect" -d 'Display the configuration of an image'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from image" -f -a "rm" -d 'Remove one or more images from local storage'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from image" -f -a "tag" -d 'Add an additional name to a local image'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from image" -f -a "prune" -d 'Remove unused images'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from system" -f -a "check" -d 'Check the store for damage: every blob\'s digest, every image\'s parts, and temp space of dead processes (which is removed first)'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from system" -f -a "info" -d 'Display skiff system information'
