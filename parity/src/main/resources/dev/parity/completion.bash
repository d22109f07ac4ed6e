# bash completion for parity and its launchers.  source <(parity completion bash)
_parity_complete() {
    local cur words_before env_index verb_index
    cur="${COMP_WORDS[COMP_CWORD]}"
    if [ "${COMP_WORDS[0]##*/}" = "parity" ]; then
        env_index=1
    else
        env_index=0
    fi
    if [ "$COMP_CWORD" -eq "$env_index" ] && [ "$env_index" -eq 1 ]; then
        COMPREPLY=($(compgen -W "$(parity environments --names 2>/dev/null) @TOOLS@ sandbox --help --version" -- "$cur"))
        return
    fi
    local env="${COMP_WORDS[$env_index]}"
    if [ "$env_index" -eq 1 ] && [ "$env" = "scrub" ]; then
        if [ "$COMP_CWORD" -eq 2 ]; then
            COMPREPLY=($(compgen -W "check init --help" -- "$cur"))
        else
            COMPREPLY=($(compgen -W "$(parity environments --names 2>/dev/null) --json --stdout --help" -- "$cur"))
        fi
        return
    fi
    verb_index=$((env_index + 1))
    [ "${env##*/}" = "pr_app" ] && verb_index=$((env_index + 2))
    if [ "$COMP_CWORD" -eq "$verb_index" ]; then
        COMPREPLY=($(compgen -W "@VERBS@ config logs run --dry-run --help" -- "$cur"))
        return
    fi
    case "${COMP_WORDS[$verb_index]}" in
        restore|restore-from)
            COMPREPLY=($(compgen -W "$(parity environments --names 2>/dev/null) --force --confirm --parallelize --jobs --dry-run" -- "$cur")) ;;
        deploy)
            COMPREPLY=($(compgen -W "--branch --allow-dirty --dry-run" -- "$cur")) ;;
        migrate)
            COMPREPLY=($(compgen -W "--no-restart --dry-run" -- "$cur")) ;;
        completion)
            COMPREPLY=($(compgen -W "bash zsh" -- "$cur")) ;;
    esac
}
complete -F _parity_complete parity production staging development pr_app
